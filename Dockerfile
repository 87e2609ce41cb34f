# One image for the api, worker and migrate services (docker-compose.yml picks the command).
# Multi-stage: dependencies, the generated Prisma client and the workflow bundle are built in the
# first stage; the runtime stage gets production dependencies only and runs as the non-root `node`.
# Secrets never enter the image (.dockerignore drops .env); they come from the environment.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# No PyPI Temporal tools: containers talk to a real Temporal cluster (TEMPORAL_ADDRESS).
ENV LOANBRIDGE_SKIP_TOOLS=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# postinstall generates the Prisma client (generated/) offline.
# npm install, not npm ci: the lock cannot list other platforms' optional binaries (see .ci/run),
# so npm ci refuses it; on a clean tree npm install installs exactly the locked versions.
RUN npm install --no-audit --no-fund
COPY . .
# The workflow code bundled once with the SDK's bundler: workers start without webpack and every
# replica runs byte-identical workflow code (what replay-testing before a deploy checks).
RUN npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js \
 && npm prune --omit=dev --ignore-scripts \
 && npm cache clean --force

FROM node:20.20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
# A CJK font, so the weekly report PDF shows the banks' Chinese names (activities/supervisionReport.ts).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-wqy-zenhei \
 && rm -rf /var/lib/apt/lists/*
# Owned by root, run as node: the process cannot rewrite its own code or bundle.
COPY --from=build /app /app
USER node
# 3000: the API (and its /metrics); 9464: a worker's Prometheus endpoint (WORKER_METRICS_PORT).
EXPOSE 3000 9464
# api/main.ts and worker/main.ts shut down cleanly on SIGTERM (the API drains connections, the
# worker lets running activities finish).
STOPSIGNAL SIGTERM
CMD ["node_modules/.bin/tsx", "api/main.ts"]
