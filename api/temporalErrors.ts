// Turns Temporal client errors from updates and queries into problems the caller can act on.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpProblem } from './problem';

/** Update validators reject with ApplicationFailure types; each maps to a stable problem code. */
const UPDATE_REJECTIONS: Record<string, { status: number; code: string; title: string }> = {
  NotDirectedToBank: { status: 403, code: 'not-directed-to-bank', title: 'This request was not sent to your bank' },
  AlreadyAnswered: { status: 409, code: 'already-answered', title: 'Your bank already answered this request' },
  RequestClosed: { status: 409, code: 'request-closed', title: 'The request is closed' },
  InvalidTransition: { status: 409, code: 'invalid-transition', title: 'Not allowed in the current stage' },
  SlotsFull: { status: 409, code: 'slots-full', title: 'All grab slots are taken' },
  AlreadyHoldsClaim: { status: 409, code: 'already-holds-claim', title: 'Your bank already holds (or held) a claim on this request' },
  NotEligible: { status: 403, code: 'not-eligible', title: 'Your bank is not eligible for this request' },
  NotInPool: { status: 409, code: 'not-in-pool', title: 'The request is not open for grabs' },
  InvalidOffer: { status: 422, code: 'invalid-offer', title: 'The offer or loan is not valid for this request' },
  NoSuchOffer: { status: 409, code: 'no-such-offer', title: 'No approved offer from that bank' },
  ClaimClosed: { status: 409, code: 'claim-closed', title: 'The claim has ended' },
  AlreadyExtended: { status: 409, code: 'already-extended', title: "This step's deadline was already extended once" },
};

export function mapTemporalError(err: unknown): never {
  if (err instanceof WorkflowNotFoundError) throw new HttpProblem(404, 'not-found', 'No such financing request');
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const m = UPDATE_REJECTIONS[err.cause.type ?? ''];
    if (m) throw new HttpProblem(m.status, m.code, m.title, err.cause.message);
    throw new HttpProblem(409, 'rejected', 'The request refused this action', err.cause.message, { reason: err.cause.type });
  }
  throw err;
}
