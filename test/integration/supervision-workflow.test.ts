// Supervisors' actions inside the claim workflow, on the time-skipping server: an extended deadline
// is really waited for (no expiry at the old one, reminders re-planned for the new one), and a
// released claim ends at once, stays released, and sends the request to the pool.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessDays } from '../../domain/calendar';
import { CURRENT_LIFECYCLE_POLICY as P } from '../../domain/policy';
import * as m from '../../workflows/messages';
import { startLifecycleHarness, until, type LifecycleHarness } from '../support/lifecycle';

let h: LifecycleHarness;
beforeAll(async () => {
  h = await startLifecycleHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const HOUR = 3_600_000;
async function rejection(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return err.cause.type ?? 'untyped';
    throw err;
  }
}
const claimState = (id: string, bank: string) => h.claim(id, bank).query(m.getClaimQuery);

describe("supervisors' actions in the claim workflow", () => {
  it('an extension moves the deadline the workflow waits for, once per step; reminders follow the new deadline', async () => {
    const { id } = await h.publish({ directedBankIds: ['jiaxing-bank'] });
    const c = h.claim(id, 'jiaxing-bank');
    const offered = await until(
      () => claimState(id, 'jiaxing-bank'),
      (s) => s.status === 'offered' && Boolean(s.deadlineAt),
    );
    const d0 = new Date(offered.deadlineAt!);
    const extended = await c.executeUpdate(m.extendDeadlineUpdate, {
      args: [{ supervisorId: 'sup-1', reason: 'branch closed for inventory', businessDays: 2 }],
    });
    const d1 = addBusinessDays(d0, 2, P.calendar);
    expect(extended.deadlineAt).toBe(d1.toISOString());
    expect(await rejection(c.executeUpdate(m.extendDeadlineUpdate, { args: [{ supervisorId: 'sup-1', reason: 'again' }] }))).toBe('AlreadyExtended');
    expect((await h.db.prisma.claim.findUniqueOrThrow({ where: { id: `${id}:jiaxing-bank` } })).deadlineAt?.toISOString()).toBe(d1.toISOString());

    // Past the old deadline: still offered.
    await h.env.sleep(d0.getTime() + HOUR - (await h.env.currentTimeMs()));
    expect((await claimState(id, 'jiaxing-bank')).status).toBe('offered');
    // Past the new one: expired.
    await h.env.sleep(d1.getTime() + HOUR - (await h.env.currentTimeMs()));
    const expired = await until(
      () => claimState(id, 'jiaxing-bank'),
      (s) => s.status === 'expired',
    );
    expect(expired.reason).toBe('deadline:acceptance');
    const reminders = await h.db.prisma.notification.findMany({ where: { financingRequestId: id, templateId: 'deadlineReminder', channel: 'inbox' } });
    expect(reminders.length).toBe(2);
    expect(reminders.every((r) => (r.params as { deadlineAt: string }).deadlineAt === d1.toISOString())).toBe(true);
    const events = await h.db.prisma.stageEvent.findMany({ where: { financingRequestId: id }, orderBy: { at: 'asc' } });
    expect(events.find((e) => e.event === 'supervision:deadline-extended')).toMatchObject({ actor: 'supervisor:sup-1', claimId: `${id}:jiaxing-bank` });
    // The expiry came after the new deadline, not the old one.
    expect(events.find((e) => e.event === 'claim:expired')!.at.getTime()).toBeGreaterThanOrEqual(d1.getTime());
  });

  it('a released claim ends released; the directed request goes to the pool, open to every bank but the released one', async () => {
    const { id, handle } = await h.publish({ directedBankIds: ['suzhou-bank'] });
    const c = h.claim(id, 'suzhou-bank');
    await until(
      () => claimState(id, 'suzhou-bank'),
      (s) => s.status === 'offered',
    );
    expect(await rejection(c.executeUpdate(m.releaseClaimUpdate, { args: [{ supervisorId: 'sup-1', reason: 'no answer' }] }))).toBe('InvalidTransition');
    await c.executeUpdate(m.acceptUpdate, { args: [{ bankId: 'suzhou-bank' }] });
    const released = await c.executeUpdate(m.releaseClaimUpdate, { args: [{ supervisorId: 'sup-1', reason: 'no progress' }] });
    expect(released).toMatchObject({ status: 'released', reason: 'no progress' });
    // Refused: ClaimClosed while the workflow drains its notifications, not found once it completed.
    await expect(c.executeUpdate(m.nudgeUpdate, { args: [{ supervisorId: 'sup-1' }] })).rejects.toThrow();
    const pooled = await until(
      () => handle.query(m.getStateQuery),
      (s) => s.routing === 'pool' && Boolean(s.poolClosesAt),
    );
    expect(pooled.stage).not.toBe('closed');
    expect(pooled.claims[0]).toMatchObject({ bankId: 'suzhou-bank', status: 'released' });
    expect((await claimState(id, 'suzhou-bank')).status).toBe('released');
    // The released bank cannot grab it back; another eligible bank can.
    expect(await rejection(handle.executeUpdate(m.grabUpdate, { args: [{ bankId: 'suzhou-bank' }] }))).toBe('AlreadyHoldsClaim');
    const grabbed = await handle.executeUpdate(m.grabUpdate, { args: [{ bankId: 'pool-bank-00' }] });
    expect(grabbed.claims.find((c) => c.bankId === 'pool-bank-00')).toMatchObject({ origin: 'grab' });
    await handle.executeUpdate(m.withdrawUpdate, { args: [{ reason: 'test done' }] });
  });
});
