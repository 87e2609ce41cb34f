// A pinned run (npm run test:at -- <instant>) must really move the clocks, in the test processes
// and in the processes they spawn (the reliability suite's workers), or its green proves nothing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const pin = process.env.LOANBRIDGE_PIN_CLOCK;
const HOUR = 3600_000;

describe.skipIf(!pin)('pinned clock', () => {
  it('runs on from the pinned instant here and in child processes', () => {
    const target = Date.parse(pin!);
    expect(Math.abs(Date.now() - target)).toBeLessThan(HOUR);
    const child = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], { encoding: 'utf8' }));
    expect(Math.abs(child - Date.now())).toBeLessThan(60_000);
  });
});
