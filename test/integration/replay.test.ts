// Replays recorded workflow histories against today's workflow code: a change that would make
// running requests nondeterministic fails here (see README, "Changing workflow code"). It runs
// scripts/replay-histories.ts, the same command operators use before a deploy.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const dir = path.join(root, 'test/fixtures/histories');

describe('replay of recorded histories', () => {
  it('replays every recorded history without nondeterminism', () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/replay-histories.ts', dir], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout).toContain(`replayed: ${files.length} histories, 0 failed`);
    expect(r.status).toBe(0);
  });

  it('detects a nondeterministic change (a history whose first command no longer matches)', () => {
    // Tamper with a copy: rename the first activity the request schedules; replay must fail.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-replay-'));
    const src = JSON.parse(fs.readFileSync(path.join(dir, 'financingRequest-directed-happy.json'), 'utf8'));
    const ev = src.events.find((e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes);
    ev.activityTaskScheduledEventAttributes.activityType.name = 'someOtherActivity';
    fs.writeFileSync(path.join(tmp, 'tampered.json'), JSON.stringify(src));
    const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['scripts/replay-histories.ts', tmp], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL tampered/);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
