// A real SMTP server (smtp-server) that keeps every accepted mail, parsed with mailparser: the
// receiving end for integration tests, the benchmark and local development.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface TestSmtp {
  port: number;
  mails: ParsedMail[];
  /** Envelope recipients per mail, in arrival order. */
  envelopes: string[][];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Reject RCPT TO for these addresses with 550. */
  rejectRecipients: Set<string>;
}

/** A real SMTP server (smtp-server) that parses every accepted mail with mailparser. */
export async function createSmtp(port?: number): Promise<TestSmtp> {
  const p = port ?? (await freePort());
  let server: SMTPServer | undefined;
  const t: TestSmtp = {
    port: p,
    mails: [],
    envelopes: [],
    rejectRecipients: new Set(),
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        logger: false,
        onRcptTo(addr, _session, cb) {
          if (t.rejectRecipients.has(addr.address)) {
            const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
            cb(err);
            return;
          }
          cb();
        },
        onData(stream, session, cb) {
          simpleParser(stream)
            .then((mail) => {
              t.mails.push(mail);
              t.envelopes.push(session.envelope.rcptTo.map((r) => r.address));
              cb();
            })
            .catch(cb);
        },
      });
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(p, '127.0.0.1', () => resolve());
      });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((r) => s.close(() => r()));
    },
  };
  return t;
}
