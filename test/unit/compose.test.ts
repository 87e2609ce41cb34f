// No Docker engine runs here, so the compose file is checked against what the code reads.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARS } from '../../config/env';

const root = path.resolve(__dirname, '../..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<
    string,
    {
      image?: string;
      build?: unknown;
      command?: string[];
      environment?: Record<string, string>;
      ports?: string[];
      container_name?: string;
      depends_on?: unknown;
    }
  >;
};

describe('docker-compose.yml', () => {
  it('has the production services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgresql', 'temporal', 'temporal-ui', 'worker']);
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

  it('builds api and worker from the one Dockerfile, running their entry points', () => {
    for (const name of ['api', 'worker']) {
      const svc = compose.services[name]!;
      expect(svc.build, name).toBe('.');
      const entry = svc.command!.at(-1)!;
      expect(fs.existsSync(path.join(root, entry)), `${name} runs ${entry}`).toBe(true);
    }
    expect(fs.existsSync(path.join(root, 'Dockerfile'))).toBe(true);
  });

  it('sets only environment variables the code reads, and what api and worker need', () => {
    for (const name of ['api', 'worker']) {
      const env = compose.services[name]!.environment!;
      for (const k of Object.keys(env)) expect(ENV_VARS as readonly string[], `${name}.${k}`).toContain(k);
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgresql:5432\//);
    }
    // The database URL matches the postgresql service's credentials.
    const pg = compose.services.postgresql!.environment!;
    expect(compose.services.api!.environment!.DATABASE_URL).toBe(`postgresql://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgresql:5432/${pg.POSTGRES_DB}`);
  });

  it('keeps workers scalable (no fixed name, no host port) and publishes the API and UI ports', () => {
    expect(compose.services.worker!.container_name).toBeUndefined();
    expect(compose.services.worker!.ports).toBeUndefined();
    expect(compose.services.api!.ports).toContain(`3000:${compose.services.api!.environment!.PORT}`);
    expect(compose.services.temporal!.ports).toContain('7233:7233');
  });
});
