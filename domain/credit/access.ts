// Who may read which part of an enterprise's portrait: only a bank the enterprise has authorised,
// only the sections it authorised, only while the grant is live. Pure; the API loads the grant,
// calls this, returns only `sections`, and audits the read either way.
import { PORTRAIT_SECTIONS, type CreditPortrait, type PortraitSection } from './portrait';

export interface PortraitGrant {
  bankId: string;
  sections: readonly string[];
  /** ISO timestamp or Date; the grant is void from this instant on. */
  expiresAt: string | Date;
  revokedAt?: string | Date | null;
}

export type AccessReason = 'granted' | 'narrowed' | 'no_grant' | 'wrong_bank' | 'revoked' | 'expired' | 'sections_outside_scope';

export interface AccessDecision {
  allowed: boolean;
  /** Sections the bank may read now (empty when not allowed). */
  sections: PortraitSection[];
  /** granted: all requested; narrowed: some requested sections were outside the grant and are withheld. */
  reason: AccessReason;
  /** Requested sections the grant does not cover. */
  denied: string[];
}

const time = (t: string | Date): number => (typeof t === 'string' ? Date.parse(t) : t.getTime());

/**
 * Decide a read. `requested` empty means "everything the grant covers". A request that is partly
 * outside the grant is narrowed rather than refused, so a bank sees what the enterprise agreed to
 * and `denied` tells it what it did not get.
 */
export function canReadPortrait(grant: PortraitGrant | undefined, bankId: string, requested: readonly string[], now: Date): AccessDecision {
  const refuse = (reason: AccessReason, denied: string[] = [...requested]): AccessDecision => ({ allowed: false, sections: [], reason, denied });
  if (!grant) return refuse('no_grant');
  if (grant.bankId !== bankId) return refuse('wrong_bank');
  if (grant.revokedAt && time(grant.revokedAt) <= now.getTime()) return refuse('revoked');
  // Invalid dates are treated as expired: fail closed.
  const expires = time(grant.expiresAt);
  if (!(expires > now.getTime())) return refuse('expired');

  const granted = PORTRAIT_SECTIONS.filter((s) => grant.sections.includes(s));
  const wanted = requested.length ? requested : granted;
  const sections = granted.filter((s) => wanted.includes(s));
  const denied = wanted.filter((s) => !(granted as string[]).includes(s));
  if (sections.length === 0) return refuse('sections_outside_scope', denied);
  return { allowed: true, sections, reason: denied.length ? 'narrowed' : 'granted', denied };
}

/** The portrait with every section outside `sections` removed (the score only with 'creditScore'). */
export function redactPortrait(
  portrait: CreditPortrait,
  sections: readonly PortraitSection[],
): Partial<CreditPortrait> & Pick<CreditPortrait, 'creditCode' | 'asOf'> {
  const keep = new Set<string>(sections);
  const s = portrait.sections;
  const out: Partial<CreditPortrait> & Pick<CreditPortrait, 'creditCode' | 'asOf'> = {
    portraitVersion: portrait.portraitVersion,
    creditCode: portrait.creditCode,
    asOf: portrait.asOf,
    sources: portrait.sources,
    missing: portrait.missing,
    stale: portrait.stale,
    completeness: portrait.completeness,
    partial: portrait.partial,
    sections: Object.fromEntries(Object.entries(s).filter(([k]) => keep.has(k))) as CreditPortrait['sections'],
  };
  if (keep.has('creditScore')) out.score = portrait.score;
  return out;
}
