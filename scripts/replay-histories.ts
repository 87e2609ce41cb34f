// Replays recorded workflow histories (JSON as written by `temporal workflow show --output json`)
// against the current workflow code. Exit code 1 on any nondeterminism.
// Usage: tsx scripts/replay-histories.ts [dir]   (default test/fixtures/histories)
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';

async function main() {
  const dir = path.resolve(process.argv[2] ?? path.join(__dirname, '../test/fixtures/histories'));
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))),
  }));
  let failed = 0;
  for await (const r of Worker.runReplayHistories({ workflowsPath: path.resolve(__dirname, '../workflows/index.ts') }, histories)) {
    if (r.error) {
      failed += 1;
      console.log(`FAIL ${r.workflowId}: ${r.error.message}`);
    } else console.log(`ok ${r.workflowId}`);
  }
  console.log(`replayed: ${files.length} histories, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

void main();
