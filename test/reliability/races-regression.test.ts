// Regression tests for two lifecycle races the reliability suite found in workflow code, both
// fixed behind patches (docs/operations.md, "Races found and fixed"): an accept that reaches a claim
// before its first workflow task, and a disbursement that lands while the request's loop awaits.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimWorkflowId, financingRequestWorkflowId } from '../../domain/ids';
import { CURRENT_LIFECYCLE_POLICY } from '../../domain/policy';
import { DEMO_ENTERPRISE_ID } from '../../prisma/seed';
import { claimWorkflow } from '../../workflows/claim';
import { acceptUpdate } from '../../workflows/messages';
import { act, newStats, pool, startReliabilityStack, waitFor, type ReliabilityStack } from './harness';

let s: ReliabilityStack;
beforeAll(async () => {
  s = await startReliabilityStack();
});
afterAll(async () => {
  await s?.close();
});

describe('lifecycle races (regression)', () => {
  it("an accept that reaches a claim before its first workflow task still leaves 'offered' on the timeline (workflows/claim.ts)", async () => {
    // A claim workflow whose first task has not run (no worker polls yet) gets the bank's accept.
    const id = randomUUID();
    const bankId = 'hecheng-rcb';
    await s.db.prisma.financingRequest.create({
      data: {
        id,
        enterpriseId: DEMO_ENTERPRISE_ID,
        idempotencyKey: `known-race-${id}`,
        amountFen: 100_000_000n,
        termMonths: 12,
        purpose: 'known race',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: [bankId],
        fallbackToPool: false,
        dataConsent: false,
        policyVersion: CURRENT_LIFECYCLE_POLICY.version,
        workflowId: financingRequestWorkflowId(id),
      },
    });
    const handle = await s.client.workflow.start(claimWorkflow, {
      workflowId: claimWorkflowId(id, bankId),
      taskQueue: s.taskQueue,
      args: [
        {
          financingRequestId: id,
          enterpriseId: DEMO_ENTERPRISE_ID,
          bankId,
          origin: 'directed',
          amountFen: 100_000_000,
          guaranteeMethod: 'credit',
          policyVersion: CURRENT_LIFECYCLE_POLICY.version,
          requestWorkflowId: financingRequestWorkflowId(id),
          offerSelection: 'enterprise_choice',
        },
      ],
    });
    const accepted = handle.executeUpdate(acceptUpdate, { args: [{ bankId }], updateId: `known-race-${id}` });
    await new Promise((r) => setTimeout(r, 1000));
    await s.startWorker();
    await accepted;
    const events = await waitFor(
      'the claim recorded',
      () => s.db.prisma.stageEvent.findMany({ where: { financingRequestId: id }, orderBy: { id: 'asc' } }),
      (e) => e.length >= 2,
      60_000,
    );
    const prompts = await s.db.prisma.notification.findMany({ where: { financingRequestId: id, recipientType: 'bank' } });
    expect(events.map((e) => `${e.event}@${e.actor}`)).toEqual(['claim:offered@system', `claim:accepted@bank:${bankId}`]);
    expect(new Set(prompts.map((p) => p.templateId))).toContain('newDirectedRequest');
    await handle.terminate('test done');
  });

  it("approval followed at once by the choice and the disbursement never closes the request 'expired' (workflows/financingRequest.ts)", async () => {
    // first_approval: the request chooses the offer itself (signals the claim, then records
    // 'offer:chosen'); a disbursement that lands while that record runs is missed by the loop pass,
    // which then finds no live claim and closes 'expired'. The record is held 5 s here, as a slow
    // database or a worker dying mid-record (30 s start-to-close) would hold it.
    await s.startWorker({ RELIABILITY_DELAY_OFFER_CHOSEN_MS: '5000' });
    const stats = newStats();
    const N = 6;
    const ids: string[] = [];
    await pool(
      Array.from({ length: N }, (_, i) => i),
      15,
      async (i) => {
        const key = `known-fa-${randomUUID()}`;
        const bank = i % 2 ? 'jiaxing-bank' : 'suzhou-bank';
        const pub = await act(
          s,
          stats,
          '/v1/financing-requests',
          {
            amountFen: 100_000_000,
            termMonths: 12,
            purpose: 'first approval race',
            guaranteeMethod: 'credit',
            routing: 'directed',
            directedBankIds: [bank],
            offerSelection: 'first_approval',
          },
          `${key}-pub`,
          'enterprise',
        );
        const base = `/v1/financing-requests/${pub.body.id}`;
        ids.push(pub.body.id);
        await act(s, stats, `${base}/accept`, {}, `${key}-acc`, `bank:${bank}`);
        await act(s, stats, `${base}/start-review`, {}, `${key}-rev`, `bank:${bank}`);
        await act(
          s,
          stats,
          `${base}/approve`,
          { approvedAmountFen: 100_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment' },
          `${key}-app`,
          `bank:${bank}`,
        );
        await act(
          s,
          stats,
          `${base}/disburse`,
          { amountFen: 100_000_000, annualRateBp: 435, termMonths: 12, repaymentMethod: 'equal_installment', disbursedOn: '2026-11-24' },
          `${key}-disb`,
          `bank:${bank}`,
        );
      },
    );
    const rows = await waitFor(
      'every request disbursed or closed',
      () => s.db.prisma.financingRequest.findMany({ where: { id: { in: ids } }, select: { id: true, stage: true, closeReason: true } }),
      (r) => r.length === N && r.every((x) => x.stage === 'disbursed' || x.stage === 'closed'),
      120_000,
    );
    expect(rows.filter((r) => r.closeReason === 'expired').map((r) => r.id)).toEqual([]);
  });
});
