// The credit portrait workflow: fetch every source in parallel (each with its own timeout and
// retry policy), tolerate failures, fall back to a cached copy of a failed source (marked stale by
// age), never run past the deadline, then assemble and score with the pure domain code.
// Imports only '@temporalio/workflow' and pure domain code.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  isCancellation,
  proxyActivities,
  sleep,
  type ActivityInterfaceFor,
} from '@temporalio/workflow';
import type { CreditActivities } from '../activities/credit';
import {
  assemblePortrait,
  missingReasonForErrorType,
  type CreditPortrait,
  type MissingReason,
  type SourceOutcome,
  type SourceOutcomes,
} from '../domain/credit/portrait';
import { sourceActivityOptions } from '../domain/credit/source-policy';
import { SOURCE_NAMES, type SourceName } from '../domain/credit/sources';

export interface CreditPortraitInput {
  creditCode: string;
  /** Skip the cache and ask every source afresh. */
  refresh?: boolean;
  /** ISO timestamp: the portrait is returned by then with whatever sources have answered. */
  deadline?: string;
}

/** Workflow id for an enterprise's portrait refresh: one at a time per enterprise. */
export function creditPortraitWorkflowId(creditCode: string): string {
  return `creditPortrait-${creditCode}`;
}

// One proxy per source so each gets its own timeout and retry policy from the policy table.
const perSource = Object.fromEntries(SOURCE_NAMES.map((s) => [s, proxyActivities<CreditActivities>(sourceActivityOptions(s))])) as Record<
  SourceName,
  ActivityInterfaceFor<CreditActivities>
>;
const cacheReader = proxyActivities<CreditActivities>({ startToCloseTimeout: 5_000, retry: { maximumAttempts: 2 } });

function reasonOf(err: unknown): MissingReason {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return missingReasonForErrorType(cause.type);
  if (cause instanceof TimeoutFailure) return 'timeout';
  return 'unavailable';
}

async function fetchOne(source: SourceName, input: CreditPortraitInput): Promise<SourceOutcome> {
  try {
    const r = await perSource[source].fetchSource(source, input.creditCode, { refresh: input.refresh ?? false });
    return { status: 'ok', data: r.data, fetchedAt: r.fetchedAt, ...(r.fromCache ? { fromCache: true } : {}) } as SourceOutcome;
  } catch (err) {
    if (isCancellation(err)) throw err;
    const reason = reasonOf(err);
    // A source that does not know the enterprise has nothing to fall back to.
    if (reason !== 'not_found') {
      try {
        const cached = await cacheReader.cachedSource(source, input.creditCode);
        if (cached) return { status: 'ok', data: cached.data, fetchedAt: cached.fetchedAt, fromCache: true } as SourceOutcome;
      } catch (cacheErr) {
        if (isCancellation(cacheErr)) throw cacheErr;
      }
    }
    return {
      status: 'missing',
      reason,
      message: err instanceof Error ? ((err.cause instanceof Error ? err.cause.message : undefined) ?? err.message) : String(err),
    };
  }
}

export async function creditPortraitWorkflow(input: CreditPortraitInput): Promise<CreditPortrait> {
  const outcomes: SourceOutcomes = {};
  const fanOut = new CancellationScope();
  const all = fanOut.run(() =>
    Promise.all(
      SOURCE_NAMES.map(async (s) => {
        (outcomes as Record<string, SourceOutcome>)[s] = await fetchOne(s, input);
      }),
    ),
  );
  // Cancelling at the deadline rejects `all`; that is expected, not an error.
  all.catch(() => undefined);

  const msLeft = input.deadline ? Date.parse(input.deadline) - Date.now() : Number.POSITIVE_INFINITY;
  if (Number.isNaN(msLeft)) throw ApplicationFailure.nonRetryable(`deadline is not a timestamp: ${input.deadline}`, 'InvalidInput');
  if (Number.isFinite(msLeft)) {
    const timer = new CancellationScope();
    const expired = timer
      .run(() => sleep(Math.max(1, msLeft)))
      .then(
        () => 'deadline' as const,
        () => 'cancelled' as const,
      );
    const winner = await Promise.race([all.then(() => 'done' as const), expired]);
    if (winner === 'deadline') fanOut.cancel();
    else timer.cancel();
  } else {
    await all;
  }

  for (const s of SOURCE_NAMES) {
    if (!outcomes[s]) (outcomes as Record<string, SourceOutcome>)[s] = { status: 'missing', reason: 'deadline' };
  }
  return assemblePortrait({ creditCode: input.creditCode, asOf: new Date(), outcomes });
}
