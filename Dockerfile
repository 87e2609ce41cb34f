# One image for the api and worker services (docker-compose.yml picks the command).
# Multi-stage: dependencies and the pre-built workflow bundle, then a slim non-root runtime.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
ENV LOANBRIDGE_SKIP_TOOLS=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci
COPY . .
RUN npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js && npm prune --omit=dev --ignore-scripts

FROM node:20.20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "api/main.ts"]
