// Deterministic identifiers derived from an outbox row id, so every attempt at sending the same
// row carries the same marks: a provider-side lookup or a receiver can recognise a re-send.
import { createHash } from 'node:crypto';
import { MESSAGE_ID_DOMAIN } from './config';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O/1/I: read aloud over the phone

/** Short reference code (10 chars) shown in SMS and used to find an SMS already created for the row. */
export function referenceCode(rowId: string): string {
  const h = createHash('sha256').update(rowId).digest();
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[(h[i] as number) % ALPHABET.length];
  return s;
}

/** RFC 5322 Message-ID of the e-mail for an outbox row (or batch, keyed by its first row). */
export function messageIdFor(rowId: string): string {
  return `<${createHash('sha256').update(rowId).digest('hex').slice(0, 40)}@${MESSAGE_ID_DOMAIN}>`;
}
