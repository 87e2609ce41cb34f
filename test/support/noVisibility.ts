// Swapped in for workflows/visibility.ts when workflows run on the time-skipping test server,
// which cannot register custom search attributes. The dev-server tests cover the real one.
export function setVisibility(_pairs: unknown[]): void {}
