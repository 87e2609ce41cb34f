// Preloaded (NODE_OPTIONS=--require) into every Node process of a pinned test run: Date starts at
// LOANBRIDGE_PIN_CLOCK and runs on from there. Every process shifts by the same amount (the pin
// minus LOANBRIDGE_PIN_CLOCK_SET_AT, the real instant the run was pinned), so a worker spawned ten
// minutes into the run agrees with the test that spawned it. Temporal's dev server (a static Go
// binary) keeps the machine's clock: workflow time is not pinned, only what Node code reads.
'use strict';
const pin = process.env.LOANBRIDGE_PIN_CLOCK;
if (pin) {
  const target = Date.parse(pin);
  const setAt = Number(process.env.LOANBRIDGE_PIN_CLOCK_SET_AT);
  if (Number.isNaN(target) || !Number.isFinite(setAt)) {
    throw new Error(`LOANBRIDGE_PIN_CLOCK must be an ISO instant and LOANBRIDGE_PIN_CLOCK_SET_AT epoch ms (got ${pin}, ${setAt})`);
  }
  require('timekeeper').travel(new Date(Date.now() + (target - setAt)));
}
