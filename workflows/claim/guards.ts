// Validator checks shared by the bank's and the supervisors' updates on a claim.
import { isTerminalClaim, type ClaimStatus } from '../../domain/vocabulary';
import { REJECTIONS } from '../messages';
import { reject } from '../rejections';
import type { ClaimProcess } from './process';

/** The caller is the claim's bank and the claim is still live. */
export function mine(p: ClaimProcess, bankId: string): void {
  if (bankId !== p.input.bankId) throw reject(REJECTIONS.NotDirectedToBank, `this claim belongs to bank ${p.input.bankId}`);
  if (isTerminalClaim(p.state.status)) throw reject(REJECTIONS.RequestClosed, `the claim is ${p.state.status}`);
}

export function inStatus(p: ClaimProcess, allowed: ClaimStatus[], what: string): void {
  const status = p.state.status;
  if (!allowed.includes(status))
    throw reject(status === 'offered' ? REJECTIONS.InvalidTransition : REJECTIONS.AlreadyAnswered, `cannot ${what} a claim that is ${status}`);
}

export function needReason(reason?: string): void {
  if (!reason || reason.trim().length < 2) throw reject(REJECTIONS.InvalidTransition, 'a reason is required');
}
