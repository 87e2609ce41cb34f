// Polls until a condition holds (workflow state, database rows and deliveries move asynchronously);
// throws with the last value on timeout so a failing test says what it saw.
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    let v: T | undefined;
    let error: unknown;
    try {
      v = await fn();
      if (ok(v)) return v;
    } catch (err) {
      error = err; // not there yet
    }
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(v) ?? String(error)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
