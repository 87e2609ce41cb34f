// One-time SMS codes: proof that the person at the keyboard holds the enterprise's registered
// contact mobile. The platform picks the number (never the caller); the code goes out through the
// notification outbox like every other SMS (a row plus the deliverNotificationsWorkflow), urgent so
// quiet hours do not hold it. Only a scrypt hash of the code is kept; the outbox row's copy of the
// code is blanked once the code is used or a newer code to the number is issued.
//
// Budgets are counts of OneTimeCode rows (shared by every API replica): a resend gap and an hourly
// and daily budget per number, an hourly budget per IP, a daily budget per loan code, and a global
// circuit breaker. Codes to one number are issued under an advisory lock on the number, so two
// concurrent requests cannot both pass a budget with one slot left.
import { randomInt, randomUUID, scrypt, timingSafeEqual, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Prisma } from '../../generated/prisma/client';
import { maskMobile, ONE_TIME_CODE_POLICY, publicMobileProblem, type CodePurpose, type OneTimeCodePolicy } from '../../domain/identity';
import type { deliverNotificationsWorkflow } from '../../workflows/notify';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;
export const CODE_TEMPLATE = 'verificationCode';
const SCRUBBED = '******';

export interface IssuedCode {
  challengeId: string;
  /** 139****5678: where the code went. */
  maskedMobile: string;
  expiresAt: Date;
}

export interface VerifiedCode {
  enterpriseId: string;
  mobile: string;
  purpose: CodePurpose;
  context: unknown;
}

export function codePolicy(deps: Pick<ApiDeps, 'config'>): OneTimeCodePolicy {
  return { ...ONE_TIME_CODE_POLICY, ...deps.config.oneTimeCodes };
}

async function hashCode(code: string, salt = randomBytes(16)): Promise<string> {
  const h = await scryptAsync(code, salt, 32);
  return `scrypt$${salt.toString('base64url')}$${h.toString('base64url')}`;
}

async function codeMatches(code: string, stored: string): Promise<boolean> {
  const [, salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const got = await scryptAsync(code, Buffer.from(salt, 'base64url'), 32);
  const want = Buffer.from(hash, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}

const outboxId = (codeId: string, enterpriseId: string) => `otp:${codeId}|enterprise:${enterpriseId}|${CODE_TEMPLATE}|sms`;

const refuse = (status: number, code: string, title: string, detail: string, retryAfterSeconds?: number) =>
  new HttpProblem(status, code, title, detail, retryAfterSeconds ? { retryAfterSeconds } : {});

/**
 * Sends a fresh code to the enterprise's registered contact mobile, within the budgets.
 * publicForm: the caller is anonymous, so the registered number must be a mainland mobile.
 */
export async function issueCode(
  deps: ApiDeps,
  o: { enterpriseId: string; purpose: CodePurpose; ip?: string; loanCodeId?: string; context?: Prisma.InputJsonValue; publicForm: boolean },
): Promise<IssuedCode> {
  const policy = codePolicy(deps);
  const { prisma } = deps;
  const enterprise = await prisma.enterprise.findUnique({ where: { id: o.enterpriseId }, select: { contactMobile: true } });
  if (!enterprise) throw new HttpProblem(404, 'not-found', 'No such enterprise');
  const mobile = enterprise.contactMobile;
  if (o.publicForm && publicMobileProblem(mobile))
    throw refuse(422, 'mobile-not-mainland', 'Codes go to mainland mobiles only', "The enterprise's registered mobile is not a mainland China mobile number");

  const code = String(randomInt(0, 10 ** policy.digits)).padStart(policy.digits, '0');
  const codeHash = await hashCode(code);
  const id = randomUUID();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + policy.ttlMs);
  const ago = (ms: number) => new Date(now.getTime() - ms);

  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`otp:${mobile}`}))`;
    if ((await tx.oneTimeCode.count({ where: { createdAt: { gte: ago(10 * 60_000) } } })) >= policy.globalPer10Minutes)
      throw refuse(
        503,
        'sms-circuit-open',
        'Verification codes are paused',
        'Too many codes were sent platform-wide in the last minutes; try again later',
        600,
      );
    const last = await tx.oneTimeCode.findFirst({ where: { mobile }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
    if (last && now.getTime() - last.createdAt.getTime() < policy.resendIntervalMs) {
      const wait = Math.ceil((policy.resendIntervalMs - (now.getTime() - last.createdAt.getTime())) / 1000);
      throw refuse(429, 'code-recently-sent', 'A code was sent a moment ago', `Wait ${wait} s before asking for another code`, wait);
    }
    if ((await tx.oneTimeCode.count({ where: { mobile, createdAt: { gte: ago(3600_000) } } })) >= policy.perNumberPerHour)
      throw refuse(429, 'sms-budget-exhausted', 'Too many codes to this number', `At most ${policy.perNumberPerHour} codes an hour go to one number`, 3600);
    if ((await tx.oneTimeCode.count({ where: { mobile, createdAt: { gte: ago(86_400_000) } } })) >= policy.perNumberPerDay)
      throw refuse(
        429,
        'sms-budget-exhausted',
        'Too many codes to this number today',
        `At most ${policy.perNumberPerDay} codes a day go to one number`,
        86_400,
      );
    if (o.ip && (await tx.oneTimeCode.count({ where: { ip: o.ip, createdAt: { gte: ago(3600_000) } } })) >= policy.perIpPerHour)
      throw refuse(429, 'sms-budget-exhausted', 'Too many codes from this address', `At most ${policy.perIpPerHour} codes an hour per address`, 3600);
    if (o.loanCodeId && (await tx.oneTimeCode.count({ where: { loanCodeId: o.loanCodeId, createdAt: { gte: ago(86_400_000) } } })) >= policy.perLoanCodePerDay)
      throw refuse(
        429,
        'sms-budget-exhausted',
        'Too many codes through this loan code today',
        `At most ${policy.perLoanCodePerDay} codes a day per loan code`,
        86_400,
      );

    await tx.oneTimeCode.create({
      data: {
        id,
        enterpriseId: o.enterpriseId,
        mobile,
        purpose: o.purpose,
        codeHash,
        expiresAt,
        ip: o.ip ?? null,
        loanCodeId: o.loanCodeId ?? null,
        context: o.context,
      },
    });
    // The outbox row: the delivery activity looks the number up itself (the registered mobile).
    await tx.notification.create({
      data: {
        id: outboxId(id, o.enterpriseId),
        recipientType: 'enterprise',
        recipientId: o.enterpriseId,
        channel: 'sms',
        templateId: CODE_TEMPLATE,
        params: { code, minutes: Math.round(policy.ttlMs / 60_000) },
        urgent: true,
        status: 'pending',
        notBefore: now,
      },
    });
    // Older codes to this number are superseded: blank their text.
    await scrubCodes(tx, { recipientId: o.enterpriseId, before: now });
  });

  try {
    await deps.temporal.workflow.start<typeof deliverNotificationsWorkflow>('deliverNotificationsWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: `otp-${id}`,
      args: [[outboxId(id, o.enterpriseId)]],
    });
  } catch (err) {
    deps.log.warn({ err, codeId: id }, 'verification code not handed to delivery');
    throw refuse(503, 'sms-unavailable', 'The code could not be sent', 'Try again in a moment', 30);
  }
  return { challengeId: id, maskedMobile: maskMobile(mobile), expiresAt };
}

type Tx = Parameters<Parameters<ApiDeps['prisma']['$transaction']>[0]>[0];

async function scrubCodes(db: Tx | ApiDeps['prisma'], where: { recipientId: string; before?: Date; id?: string }): Promise<void> {
  await db.notification.updateMany({
    where: {
      templateId: CODE_TEMPLATE,
      recipientType: 'enterprise',
      recipientId: where.recipientId,
      ...(where.id ? { id: where.id } : {}),
      ...(where.before ? { createdAt: { lt: where.before } } : {}),
      // Only rows already handed to the provider: a row still waiting must keep its text.
      status: { in: ['sent', 'delivered', 'failed'] },
      NOT: { params: { path: ['code'], equals: SCRUBBED } },
    },
    data: { params: { code: SCRUBBED, minutes: 0 } },
  });
}

/**
 * Checks a code. Each check spends one attempt first (one conditional UPDATE, so parallel guesses
 * cannot exceed maxAttempts); the right code is consumed once. On success the enterprise's mobile
 * counts as verified if it is still the number the code went to.
 */
export async function verifyCode(deps: ApiDeps, o: { challengeId: string; code: string; purpose: CodePurpose }): Promise<VerifiedCode> {
  const { prisma } = deps;
  const policy = codePolicy(deps);
  const wrong = (detail: string, extra: Record<string, unknown> = {}) => new HttpProblem(422, 'code-wrong', 'The code is not right', detail, extra);
  const row = /^[0-9a-f-]{36}$/.test(o.challengeId) ? await prisma.oneTimeCode.findUnique({ where: { id: o.challengeId } }) : null;
  if (!row || row.purpose !== o.purpose) throw new HttpProblem(404, 'code-unknown', 'No such verification', 'Ask for a new code');
  if (row.consumedAt) throw new HttpProblem(409, 'code-used', 'This code was already used', 'Ask for a new code');
  if (row.expiresAt.getTime() <= Date.now()) throw new HttpProblem(410, 'code-expired', 'The code expired', 'Ask for a new code');
  const spent = await prisma.oneTimeCode.updateMany({
    where: { id: row.id, consumedAt: null, attempts: { lt: policy.maxAttempts } },
    data: { attempts: { increment: 1 } },
  });
  if (spent.count === 0) throw new HttpProblem(429, 'code-locked', 'Too many wrong codes', 'Ask for a new code');
  if (!/^\d+$/.test(o.code) || o.code.length !== policy.digits || !(await codeMatches(o.code, row.codeHash))) {
    const left = Math.max(0, policy.maxAttempts - row.attempts - 1);
    throw wrong(left > 0 ? `${left} attempt(s) left` : 'No attempts left: ask for a new code', { attemptsLeft: left });
  }
  const won = await prisma.oneTimeCode.updateMany({ where: { id: row.id, consumedAt: null }, data: { consumedAt: new Date() } });
  if (won.count === 0) throw new HttpProblem(409, 'code-used', 'This code was already used', 'Ask for a new code');
  await scrubCodes(prisma, { recipientId: row.enterpriseId, id: outboxId(row.id, row.enterpriseId) });
  const verified = await prisma.enterprise.updateMany({
    where: { id: row.enterpriseId, contactMobile: row.mobile, mobileVerifiedAt: null },
    data: { mobileVerifiedAt: new Date() },
  });
  if (verified.count > 0)
    await prisma.enterpriseIdentityEvent.create({
      data: {
        enterpriseId: row.enterpriseId,
        action: 'mobile_verified',
        actor: `code:${row.id}`,
        detail: { purpose: row.purpose, mobile: maskMobile(row.mobile) },
      },
    });
  const current = await prisma.enterprise.findUnique({ where: { id: row.enterpriseId }, select: { contactMobile: true } });
  if (current?.contactMobile !== row.mobile)
    throw new HttpProblem(409, 'mobile-changed', 'The registered mobile changed', 'The code went to a number that is no longer registered: ask for a new code');
  return { enterpriseId: row.enterpriseId, mobile: row.mobile, purpose: row.purpose as CodePurpose, context: row.context };
}
