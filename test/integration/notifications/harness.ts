// Real parts for the notifications integration tests: a fresh PostgreSQL database, an SMTP server
// that parses every mail, a Twilio-speaking HTTP server validated against Twilio's OpenAPI, and a
// local Temporal server with a worker running the test workflow.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { openDatabase } from '../../../prisma/database';
import type { PrismaClient } from '../../../generated/prisma/client';

export const ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export async function createTestDatabase(prefix = 'nt'): Promise<{ databaseUrl: string; prisma: PrismaClient; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const db = await openDatabase({ databaseUrl, migrate: true, poolSize: 30 });
  return {
    databaseUrl,
    prisma: db.prisma,
    async drop() {
      await db.close();
      const a = new Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export async function freePort(): Promise<number> {
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
