// Enterprise identity rules: who may grant portrait consent, which numbers public forms accept, and
// the one-time SMS code policy (length, validity, attempts, budgets). Pure: no I/O.
import { CN_MOBILE } from './enterprise';

export interface OneTimeCodePolicy {
  /** Digits in a code. */
  digits: number;
  /** How long a code is valid. */
  ttlMs: number;
  /** Wrong guesses before a code is dead. */
  maxAttempts: number;
  /** Minimum gap between two codes to one number (a resend). */
  resendIntervalMs: number;
  /** Codes to one number per rolling hour and per rolling day (the daily SMS budget). */
  perNumberPerHour: number;
  perNumberPerDay: number;
  /** Codes requested from one IP address per rolling hour. */
  perIpPerHour: number;
  /** Codes sent through one loan code's form per rolling day. */
  perLoanCodePerDay: number;
  /** Circuit breaker: codes across the platform per rolling 10 minutes; above it nobody gets one. */
  globalPer10Minutes: number;
}

export const ONE_TIME_CODE_POLICY: OneTimeCodePolicy = {
  digits: 6,
  ttlMs: 5 * 60_000,
  maxAttempts: 5,
  resendIntervalMs: 60_000,
  perNumberPerHour: 5,
  perNumberPerDay: 10,
  perIpPerHour: 20,
  perLoanCodePerDay: 200,
  globalPer10Minutes: 1000,
};

export type CodePurpose = 'loan_code_publish' | 'tracking' | 'sign_in' | 'registration';

/** Public forms send SMS only to mainland mobiles (no international, premium-rate or landline numbers). */
export function publicMobileProblem(e164: string): string | undefined {
  if (!CN_MOBILE.test(e164)) return 'only mainland China mobile numbers (+86, 11 digits starting 13–19) are accepted';
  return undefined;
}

/** 139****5678: enough for the owner to recognise the number, not enough to learn it. */
export function maskMobile(e164: string): string {
  const national = e164.startsWith('+86') ? e164.slice(3) : e164;
  return national.length >= 7 ? `${national.slice(0, 3)}****${national.slice(-4)}` : '****';
}

export interface IdentityFacts {
  status: 'pending_review' | 'active' | 'suspended';
  /** api: onboarded by a supervisor or admin, who vouches for the contact; loan_code / self: self-declared. */
  source: string;
  mobileVerifiedAt: Date | null;
}

/**
 * May this enterprise grant banks access to its credit portrait? Only an active enterprise whose
 * contact is vouched for: onboarded by a supervisor, or proven by a one-time code to the registered
 * mobile (and, when review is on, approved: pending_review is not active).
 */
export function consentBlocker(e: IdentityFacts): string | undefined {
  if (e.status !== 'active') return `the enterprise is ${e.status}`;
  if (e.source !== 'api' && !e.mobileVerifiedAt) return 'the contact mobile is not verified';
  return undefined;
}

export const mayGrantConsent = (e: IdentityFacts): boolean => consentBlocker(e) === undefined;

/** The status a self-declared enterprise (public form, self-registration) starts in. */
export const initialStatus = (reviewRequired: boolean): 'pending_review' | 'active' => (reviewRequired ? 'pending_review' : 'active');
