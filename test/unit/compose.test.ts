// No Docker engine runs here, so the compose file is checked against what the code reads.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARS } from '../../config/env';

const root = path.resolve(__dirname, '../..');
// merge: docker compose applies YAML merge keys (<<: *app); the yaml library does so only when asked.
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      command?: string[];
      environment?: Record<string, string>;
      ports?: string[];
      container_name?: string;
      depends_on?: Record<string, { condition: string }>;
      healthcheck?: { test: string[] };
      env_file?: Array<{ path: string; required?: boolean }>;
      restart?: string;
      expose?: string[];
      deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
    }
  >;
  volumes?: Record<string, unknown>;
};

describe('docker-compose.yml', () => {
  it('has the production services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'migrate', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
  });

  it('pins every image to an explicit version tag', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      if (!svc.image) continue;
      expect(svc.image, name).toMatch(/:[0-9]+\.[0-9]+(\.[0-9]+)?(-[a-z]+)?$/);
      expect(svc.image, name).not.toMatch(/:latest$/);
    }
    expect(compose.services.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
    expect(compose.services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
  });

  it('builds api, worker and the migration job from the one Dockerfile, running their entry points', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const svc = compose.services[name]!;
      expect(svc.build, name).toBe('.');
      const entry = svc.command!.at(-1)!;
      expect(fs.existsSync(path.join(root, entry)), `${name} runs ${entry}`).toBe(true);
    }
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  it('keeps the Temporal frontend and UI off the host: only api and worker reach them, on the compose network', () => {
    expect(compose.services.temporal!.ports).toBeUndefined();
    expect(compose.services['temporal-ui']!.ports).toBeUndefined();
    // The only published ports are the API replicas' (behind a load balancer).
    const published = Object.entries(compose.services).filter(([, svc]) => svc.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['api']);
  });

  it('sets only environment variables the code reads, and what api and worker need', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const env = compose.services[name]!.environment!;
      // Our variables, plus Node's own (the worker's heap size).
      for (const k of Object.keys(env)) expect([...ENV_VARS, 'NODE_OPTIONS'], `${name}.${k}`).toContain(k);
      if (name !== 'migrate') expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgresql:5432\//);
    }
    // The database URL matches the postgresql service's credentials.
    const pg = compose.services.postgresql!.environment!;
    for (const name of ['api', 'worker', 'migrate'])
      expect(compose.services[name]!.environment!.DATABASE_URL, name).toBe(
        `postgresql://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgresql:5432/${pg.POSTGRES_DB}`,
      );
    expect(compose.services.temporal!.environment!.POSTGRES_PWD).toBe(pg.POSTGRES_PASSWORD);
  });

  it('keeps workers and API replicas scalable (no fixed name; no host port, or a port range)', () => {
    expect(compose.services.worker!.container_name).toBeUndefined();
    expect(compose.services.worker!.ports).toBeUndefined();
    expect(compose.services.api!.container_name).toBeUndefined();
    expect(compose.services.api!.ports).toEqual([expect.stringMatching(new RegExp(`^3000-30\\d\\d:${compose.services.api!.environment!.PORT}$`))]);
  });

  it('starts in order: database healthy, migrations done, Temporal healthy, then worker and API', () => {
    const dep = (svc: string) => compose.services[svc]!.depends_on ?? {};
    expect(dep('temporal').postgresql?.condition).toBe('service_healthy');
    expect(dep('migrate').postgresql?.condition).toBe('service_healthy');
    for (const svc of ['worker', 'api']) {
      expect(dep(svc).migrate?.condition, svc).toBe('service_completed_successfully');
      expect(dep(svc).temporal?.condition, svc).toBe('service_healthy');
    }
    expect(compose.services.migrate!.restart).toBe('no');
    expect(compose.services.migrate!.command!.at(-1)).toBe('scripts/migrate.ts');
  });

  it('health-checks every long-running service, the worker on its metrics port', () => {
    for (const svc of ['postgresql', 'temporal', 'worker', 'api']) expect(compose.services[svc]!.healthcheck?.test, svc).toBeDefined();
    const worker = compose.services.worker!;
    expect(worker.environment!.WORKER_METRICS_PORT).toBeDefined();
    expect(worker.healthcheck!.test.join(' ')).toContain(`:${worker.environment!.WORKER_METRICS_PORT}/metrics`);
    expect(worker.expose).toContain(worker.environment!.WORKER_METRICS_PORT);
    expect(compose.services.api!.healthcheck!.test.join(' ')).toContain(`:${compose.services.api!.environment!.PORT}/healthz`);
  });

  it('limits resources, keeps data in a volume, and takes secrets from an env file, not the compose file', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.deploy?.resources?.limits?.memory, name).toMatch(/^\d+[mg]$/);
      expect(svc.deploy?.resources?.limits?.cpus, name).toBeDefined();
    }
    expect(compose.volumes).toHaveProperty('pgdata');
    for (const name of ['api', 'worker', 'migrate']) {
      expect(
        compose.services[name]!.env_file?.map((f) => f.path),
        name,
      ).toContain('.env');
      const env = compose.services[name]!.environment!;
      for (const secret of ['JWT_SECRET', 'METRICS_TOKEN', 'SMTP_URL', 'TWILIO_AUTH_TOKEN', 'ALICLOUD_ACCESS_KEY_SECRET'])
        expect(env, `${name} ${secret}`).not.toHaveProperty(secret);
    }
    // The password is interpolated from .env, with a development default; never a literal secret.
    expect(compose.services.postgresql!.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD(:-[^}]*)?\}$/);
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    for (const v of ['POSTGRES_PASSWORD', 'JWT_SECRET', 'METRICS_TOKEN']) expect(example, v).toMatch(new RegExp(`^${v}=`, 'm'));
    // The image never contains the secrets file.
    expect(fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n')).toContain('.env');
  });

  it('builds a multi-stage, non-root image with the workflow code bundled at build time', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/scripts\/bundle-workflows\.ts/);
    expect(dockerfile).toMatch(/WORKFLOW_BUNDLE_PATH=/);
    expect(fs.existsSync(path.join(root, 'scripts/bundle-workflows.ts'))).toBe(true);
  });
});
