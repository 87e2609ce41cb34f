// Banks and guarantee institutions as master data on the real stack: an admin registers them and
// their users; suspension takes a bank out of the directory and of pool eligibility at once and
// refuses its grabs while its live claim runs on; institution roles limit who approves; the
// responsible officer receives the prompts about its claim; every change is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prismaDirectory } from '../../notifications/directory';
import { eventually } from '../support/eventually';
import {
  addUser,
  broadProduct,
  idempotency,
  newCreditCode,
  publishPool,
  registerBank,
  registerGuarantor,
  WAN,
  type InstitutionUser,
} from '../support/institutions';
import { as, startTestStack, type TestStack } from '../support/stack';

let s: TestStack;
let bankId: string;
let guarantorId: string;
let bankAdmin: InstitutionUser;
let officer: InstitutionUser;
let approver: InstitutionUser;

beforeAll(async () => {
  s = await startTestStack();
  bankId = (await registerBank(s, { email: 'contact@newbank.example', mobile: '+8613800007777' })).id;
  guarantorId = (await registerGuarantor(s, { email: 'contact@newgi.example' })).id;
  bankAdmin = await addUser(s, 'banks', bankId, { role: 'admin' });
  officer = await addUser(s, 'banks', bankId, { role: 'officer', email: `officer-${bankId}@newbank.example` }, bankAdmin.auth);
  approver = await addUser(s, 'banks', bankId, { role: 'approver', mobile: '+8613800006666' }, bankAdmin.auth);
  await broadProduct(s, bankAdmin.auth);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

const eligibleBanks = (id: string) =>
  s.db.prisma.financingRequest.findUnique({ where: { id }, select: { eligibleBankIds: true } }).then((r) => r?.eligibleBankIds ?? []);
const directory = async () => (await s.api('GET', '/v1/directory/banks', undefined, as('enterprise'))).body.items as { id: string }[];

describe('institutions', () => {
  it('registers a bank with validated master data; refuses bad input with problem+json; lists it in the directory without contacts', async () => {
    const bad = await s.api(
      'POST',
      '/v1/banks',
      { name: 'x', nameEn: 'Y bank', creditCode: '91330400MA2AX0TY3Q', kind: 'branch', region: '33', email: 'no', mobile: '123' },
      { ...as('admin'), ...idempotency() },
    );
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.name', 'body.creditCode', 'body.region', 'body.email', 'body.mobile', 'body.parentBankId']),
    );
    const dup = await s.api(
      'POST',
      '/v1/banks',
      {
        name: '重复银行',
        nameEn: 'Dup',
        creditCode: newCreditCode(),
        kind: 'head_office',
        region: '330400',
        email: 'a@b.example',
        mobile: '+8613800001111',
        id: bankId,
      },
      { ...as('admin'), ...idempotency() },
    );
    expect(dup.status).toBe(409);
    expect((await s.api('POST', '/v1/banks', {}, { ...as('bank:hecheng-rcb'), ...idempotency() })).status).toBe(403);

    const entry = (await directory()).find((b) => b.id === bankId);
    expect(entry).toMatchObject({ name: '测试农商银行', region: '330400', products: [expect.objectContaining({ name: '测试流动资金贷' })] });
    expect(JSON.stringify(entry)).not.toMatch(/contact@newbank|\+86|officer/);
    const gis = (await s.api('GET', '/v1/directory/guarantee-institutions', undefined, as('bank:hecheng-rcb'))).body.items;
    expect(gis).toContainEqual({
      id: guarantorId,
      name: '测试融资担保有限公司',
      nameEn: 'Test Financing Guarantee Co.',
      regions: [],
      isFund: true,
      feeRateBp: 80,
    });
  });

  it('an institution admin manages only its own users; an officer may not', async () => {
    const list = await s.api('GET', `/v1/banks/${bankId}/users`, undefined, bankAdmin.auth);
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: { institutionRole: string }) => u.institutionRole).sort()).toEqual(['admin', 'approver', 'officer']);
    expect((await s.api('GET', `/v1/banks/hecheng-rcb/users`, undefined, bankAdmin.auth)).status).toBe(403);
    expect((await s.api('GET', `/v1/banks/${bankId}/users`, undefined, officer.auth)).status).toBe(403);
    const self = await s.api('PATCH', `/v1/banks/${bankId}/users/${bankAdmin.id}`, { active: false }, bankAdmin.auth);
    expect(self.status).toBe(409);
  });

  it('suspending a bank removes it from pool eligibility and the directory at once, its live claims continue, and it cannot grab', async () => {
    // A live claim: the new bank grabs a pool request.
    const live = await publishPool(s, 'live claim before suspension');
    await eventually(
      () => eligibleBanks(live),
      (b) => b.includes(bankId),
    );
    const grab = await s.api('POST', `/v1/financing-requests/${live}/grab`, {}, { ...officer.auth, ...idempotency() });
    expect(grab.status, JSON.stringify(grab.body)).toBe(200);
    // Another open pool request it may grab.
    const open = await publishPool(s, 'open when the bank is suspended');
    await eventually(
      () => eligibleBanks(open),
      (b) => b.includes(bankId),
    );

    const suspend = await s.api('POST', `/v1/banks/${bankId}/suspend`, { reason: '年度考核退出 yearly assessment' }, { ...as('supervisor'), ...idempotency() });
    expect(suspend.status).toBe(200);
    expect(suspend.body).toMatchObject({ active: false, suspendedReason: '年度考核退出 yearly assessment' });

    // At once: out of the directory and of the open pool; its grab is refused in words.
    expect((await directory()).map((b) => b.id)).not.toContain(bankId);
    expect(await eligibleBanks(open)).not.toContain(bankId);
    const refused = await s.api('POST', `/v1/financing-requests/${open}/grab`, {}, { ...officer.auth, ...idempotency() });
    expect(refused.status).toBe(409);
    expect(refused.body.type).toMatch(/institution-suspended$/);
    // Not offered new work: directed requests refuse it, a new pool request does not list it.
    const directed = await s.api(
      'POST',
      '/v1/financing-requests',
      {
        amountFen: 100 * WAN,
        termMonths: 12,
        purpose: 'directed to a suspended bank',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: [bankId],
      },
      { ...as('enterprise'), ...idempotency() },
    );
    expect(directed.status).toBe(422);
    const later = await publishPool(s, 'published after suspension');
    await eventually(
      () => eligibleBanks(later),
      (b) => b.length > 0,
    );
    expect(await eligibleBanks(later)).not.toContain(bankId);

    // The live claim runs on: review and approval still work (approval by an approver only).
    expect((await s.api('POST', `/v1/financing-requests/${live}/start-review`, {}, { ...officer.auth, ...idempotency() })).status).toBe(200);
    const offer = { approvedAmountFen: 200 * WAN, annualRateBp: 450, termMonths: 12, repaymentMethod: 'equal_installment' };
    const byOfficer = await s.api('POST', `/v1/financing-requests/${live}/approve`, offer, { ...officer.auth, ...idempotency() });
    expect(byOfficer.status).toBe(403);
    expect(byOfficer.body.type).toMatch(/needs-approver$/);
    const approved = await s.api('POST', `/v1/financing-requests/${live}/approve`, offer, { ...approver.auth, ...idempotency() });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await eventually(
      () => s.db.prisma.claim.findUnique({ where: { id: `${live}:${bankId}` } }),
      (c) => c?.status === 'approved',
    );

    const trail = await s.api('GET', `/v1/banks/${bankId}/audit`, undefined, as('admin'));
    expect(trail.body.items[0]).toMatchObject({
      action: 'suspended',
      reason: '年度考核退出 yearly assessment',
      changes: { active: [true, false], leftOpenPools: 2 },
    });

    const back = await s.api('POST', `/v1/banks/${bankId}/reactivate`, { reason: 'reassessed' }, { ...as('admin'), ...idempotency() });
    expect(back.status).toBe(200);
    expect((await directory()).map((b) => b.id)).toContain(bankId);
    expect((await s.api('GET', `/v1/banks/${bankId}/audit`, undefined, as('admin'))).body.items.map((a: { action: string }) => a.action)).toEqual([
      'reactivated',
      'suspended',
      'user_created',
      'user_created',
      'user_created',
      'registered',
    ]);
  });

  it('the grabbing officer is responsible; the institution admin reassigns; prompts go to the officer, falling back to the contact', async () => {
    const id = await publishPool(s, 'responsible officer');
    await eventually(
      () => eligibleBanks(id),
      (b) => b.includes(bankId),
    );
    expect((await s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...officer.auth, ...idempotency() })).status).toBe(200);
    const who = await eventually(
      () => s.api('GET', `/v1/financing-requests/${id}/responsible-officer`, undefined, officer.auth),
      (r) => r.body.principalId === officer.id,
    );
    expect(who.body.name).toBe(`officer of ${bankId}`);
    const dir = prismaDirectory(s.db.prisma);
    // The officer has an e-mail but no mobile: e-mail to the officer, SMS to the bank's contact.
    expect(await dir.lookup('bank', bankId, { financingRequestId: id })).toMatchObject({ email: officer.email, mobile: '+8613800007777' });
    expect(await dir.lookup('bank', bankId)).toMatchObject({ email: 'contact@newbank.example' });

    expect((await s.api('PUT', `/v1/financing-requests/${id}/responsible-officer`, { principalId: approver.id }, officer.auth)).status).toBe(403);
    const moved = await s.api('PUT', `/v1/financing-requests/${id}/responsible-officer`, { principalId: approver.id }, bankAdmin.auth);
    expect(moved.status).toBe(200);
    expect(moved.body.principalId).toBe(approver.id);
    expect(await dir.lookup('bank', bankId, { financingRequestId: id })).toMatchObject({ email: approver.email, mobile: '+8613800006666' });
    const stranger = await s.db.prisma.principal.findFirstOrThrow({ where: { bankId: 'hecheng-rcb' } });
    expect((await s.api('PUT', `/v1/financing-requests/${id}/responsible-officer`, { principalId: stranger.id }, bankAdmin.auth)).status).toBe(422);
  });

  it('a suspended guarantor cannot be named in a new offer; updates are audited field by field', async () => {
    const patch = await s.api('PATCH', `/v1/guarantee-institutions/${guarantorId}`, { feeRateBp: 100 }, as('supervisor'));
    expect(patch.status).toBe(200);
    const trail = (await s.api('GET', `/v1/guarantee-institutions/${guarantorId}/audit`, undefined, as('supervisor'))).body.items;
    expect(trail[0]).toMatchObject({ action: 'updated', changes: { feeRateBp: [80, 100] } });
    expect(
      (await s.api('POST', `/v1/guarantee-institutions/${guarantorId}/suspend`, { reason: 'licence review' }, { ...as('admin'), ...idempotency() })).status,
    ).toBe(200);
    expect(
      (await s.api('GET', '/v1/directory/guarantee-institutions', undefined, as('bank:hecheng-rcb'))).body.items.map((g: { id: string }) => g.id),
    ).not.toContain(guarantorId);
    const id = await publishPool(s, 'offer with a suspended guarantor');
    await eventually(
      () => eligibleBanks(id),
      (b) => b.includes(bankId),
    );
    expect((await s.api('POST', `/v1/financing-requests/${id}/grab`, {}, { ...approver.auth, ...idempotency() })).status).toBe(200);
    await s.api('POST', `/v1/financing-requests/${id}/start-review`, {}, { ...approver.auth, ...idempotency() });
    const r = await s.api(
      'POST',
      `/v1/financing-requests/${id}/approve`,
      { approvedAmountFen: 100 * WAN, annualRateBp: 450, termMonths: 12, repaymentMethod: 'equal_installment', guaranteeInstitutionId: guarantorId },
      { ...approver.auth, ...idempotency() },
    );
    expect(r.status).toBe(422);
    expect(r.body.type).toMatch(/guarantor-suspended$/);
  });
});
