// An enterprise's portrait, built and stored: runs the portrait workflow's code (fetch every
// source, assemble, score) and saves the result as a CreditPortrait row. The API starts it with
// workflow id creditPortraitWorkflowId(creditCode) and USE_EXISTING, so concurrent readers of one
// enterprise share one run. Imports only '@temporalio/workflow' and pure code.
import { proxyActivities } from '@temporalio/workflow';
import type { PortraitActivities } from '../activities/portraits';
import type { CreditPortrait } from '../domain/credit/portrait';
import { creditPortraitWorkflow, type CreditPortraitInput } from './portrait';

const store = proxyActivities<PortraitActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

export interface StoredPortrait {
  portraitId: string;
  portrait: CreditPortrait;
}

export async function storedCreditPortraitWorkflow(input: CreditPortraitInput): Promise<StoredPortrait> {
  const portrait = await creditPortraitWorkflow(input);
  const { id } = await store.savePortrait(portrait);
  return { portraitId: id, portrait };
}
