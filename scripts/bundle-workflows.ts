// Pre-bundles the workflow code with the SDK's bundler (Docker build), so workers start fast and
// every replica runs byte-identical workflow code. Usage: tsx scripts/bundle-workflows.ts [out]
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main() {
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../workflows/index.ts') });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
}

void main();
