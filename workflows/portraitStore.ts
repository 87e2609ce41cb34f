// An enterprise's portrait, built and stored: runs the portrait workflow's code (fetch every
// source, assemble, score) and saves the result as a CreditPortrait row. The API starts it with
// workflow id creditPortraitWorkflowId(creditCode) and USE_EXISTING, so concurrent readers of one
// enterprise share one run. Imports only '@temporalio/workflow' and pure code.
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { PortraitActivities } from '../activities/portraits';
import type { CreditPortrait } from '../domain/credit/portrait';
import { deliverNotificationsWorkflow } from './notify';
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
  // New source data re-scores the enterprise: warn the banks holding live claims on it.
  // Delivery runs in its own workflow: the bank reading this portrait must not wait for it.
  const { notificationIds } = await store.raiseRiskWarnings({ portraitId: id });
  if (notificationIds.length > 0) {
    await startChild(deliverNotificationsWorkflow, {
      workflowId: `deliver-riskWarning-${id}`,
      args: [notificationIds],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    }).catch(
      () => undefined, // already started for this portrait by an earlier run: its delivery is under way
    );
  }
  return { portraitId: id, portrait };
}
