// Real parts for the notifications integration tests: a fresh PostgreSQL database, an SMTP server
// that parses every mail, a Twilio-speaking HTTP server validated against Twilio's OpenAPI, and a
// local Temporal server with a worker running the test workflow.
import type { AddressInfo } from 'node:net';
import http from 'node:http';

export { createScratchDatabase as createTestDatabase } from '../../../tools/scratch-db';

export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export { createSmtp, type TestSmtp } from '../../../tools/smtp-sink';
