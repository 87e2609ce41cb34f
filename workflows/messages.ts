// Signals, updates and queries of the financingRequest workflow, declared once and imported by
// both the workflow and the API (typed handles).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { FinancingRequestState } from './state';

export const getStateQuery = defineQuery<FinancingRequestState>('getState');

export interface BankActionInput {
  bankId: string;
  reason?: string;
}
/** A directed bank accepts (受理) the request. */
export const acceptUpdate = defineUpdate<FinancingRequestState, [BankActionInput]>('accept');
