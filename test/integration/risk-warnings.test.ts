// Risk warnings: a new portrait with a new enforcement case warns, once, every bank holding a live
// claim on the enterprise, and no bank whose claim has ended. Real PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemblePortrait } from '../../domain/credit/portrait';
import { storePortrait } from '../../activities/portraits';
import { raiseRiskWarnings } from '../../activities/riskWarnings';
import { openDatabase, type Database } from '../../prisma/database';
import { DEMO_ENTERPRISE_ID, seedDemoData } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { cleanRecords, okOutcomes } from '../unit/credit/fixtures';

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase('lb_risk');
  db = await openDatabase({ databaseUrl: database.url, migrate: true });
  await seedDemoData(db.prisma);
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
});

describe('risk warnings', () => {
  it('warns banks with live claims (red for a new enforcement case), once, and not banks whose claim ended', async () => {
    const enterprise = await db.prisma.enterprise.findUniqueOrThrow({ where: { id: DEMO_ENTERPRISE_ID } });
    const requestId = '00000000-0000-4000-b000-000000000001';
    await db.prisma.financingRequest.create({
      data: {
        id: requestId,
        enterpriseId: enterprise.id,
        idempotencyKey: 'risk-1',
        amountFen: 100_000_000n,
        termMonths: 12,
        purpose: 'working capital',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: ['hecheng-rcb', 'jiaxing-bank'],
        fallbackToPool: false,
        dataConsent: true,
        policyVersion: 'v1',
        workflowId: `financingRequest-${requestId}`,
      },
    });
    await db.prisma.claim.createMany({
      data: [
        { id: `${requestId}:hecheng-rcb`, financingRequestId: requestId, bankId: 'hecheng-rcb', origin: 'directed', status: 'under_review' },
        { id: `${requestId}:jiaxing-bank`, financingRequestId: requestId, bankId: 'jiaxing-bank', origin: 'directed', status: 'rejected' },
      ],
    });
    const code = enterprise.creditCode;
    const before = assemblePortrait({ creditCode: code, asOf: new Date('2026-11-01T00:00:00Z'), outcomes: okOutcomes() });
    const records = cleanRecords();
    records.courts.enforcements = [{ caseNumber: '(2026)浙04执99号', filedOn: '2026-11-10', amountFen: 5_000_000, status: 'ongoing' }];
    const after = assemblePortrait({ creditCode: code, asOf: new Date('2026-11-20T00:00:00Z'), outcomes: okOutcomes(records) });
    const first = await storePortrait(db.prisma, before);
    expect((await raiseRiskWarnings(db.prisma, first.id, new Date())).notificationIds).toEqual([]); // nothing to compare with

    const second = await storePortrait(db.prisma, after);
    const r = await raiseRiskWarnings(db.prisma, second.id, new Date());
    expect(r.warnings.map((w) => w.code)).toContain('NEW_ENFORCEMENT');
    const rows = await db.prisma.notification.findMany({ where: { templateId: 'riskWarning' } });
    expect(new Set(rows.map((x) => x.recipientId))).toEqual(new Set(['hecheng-rcb']));
    expect(rows.every((x) => x.urgent)).toBe(true);
    expect((rows[0]!.params as Record<string, string>).levelLabel).toBe('红色');
    expect((rows[0]!.params as Record<string, string>).enterpriseName).toBe(enterprise.name);

    // Raising again for the same portrait writes nothing new.
    await raiseRiskWarnings(db.prisma, second.id, new Date());
    expect(await db.prisma.notification.count({ where: { templateId: 'riskWarning' } })).toBe(rows.length);
  });
  it('gives the facts only to a bank holding a live grant for the section they come from; others get the level and a pointer', async () => {
    const enterprise = await db.prisma.enterprise.findUniqueOrThrow({ where: { id: DEMO_ENTERPRISE_ID } });
    const requestId = '00000000-0000-4000-b000-000000000002';
    await db.prisma.financingRequest.create({
      data: {
        id: requestId,
        enterpriseId: enterprise.id,
        idempotencyKey: 'risk-2',
        amountFen: 100_000_000n,
        termMonths: 12,
        purpose: 'working capital',
        guaranteeMethod: 'credit',
        routing: 'directed',
        directedBankIds: ['suzhou-bank', 'icbc-jiaxing'],
        fallbackToPool: false,
        dataConsent: true,
        policyVersion: 'v1',
        workflowId: `financingRequest-${requestId}`,
      },
    });
    await db.prisma.claim.createMany({
      data: [
        { id: `${requestId}:suzhou-bank`, financingRequestId: requestId, bankId: 'suzhou-bank', origin: 'directed', status: 'under_review' },
        { id: `${requestId}:icbc-jiaxing`, financingRequestId: requestId, bankId: 'icbc-jiaxing', origin: 'directed', status: 'accepted' },
      ],
    });
    await db.prisma.portraitGrant.create({
      data: {
        id: randomUUID(),
        enterpriseId: enterprise.id,
        bankId: 'suzhou-bank',
        sections: ['riskInformation'],
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const records = cleanRecords();
    records.courts.enforcements = [
      { caseNumber: '(2026)浙04执99号', filedOn: '2026-11-10', amountFen: 5_000_000, status: 'ongoing' },
      { caseNumber: '(2026)浙04执123号', filedOn: '2026-11-22', amountFen: 7_000_000, status: 'ongoing' },
    ];
    const later = await storePortrait(
      db.prisma,
      assemblePortrait({ creditCode: enterprise.creditCode, asOf: new Date('2026-11-25T00:00:00Z'), outcomes: okOutcomes(records) }),
    );
    const known = new Set((await db.prisma.notification.findMany({ where: { templateId: 'riskWarning' }, select: { id: true } })).map((r) => r.id));
    await raiseRiskWarnings(db.prisma, later.id, new Date());
    const rows = (await db.prisma.notification.findMany({ where: { templateId: 'riskWarning', channel: 'inbox' } })).filter((r) => !known.has(r.id));
    const summaryOf = (bankId: string) => (rows.find((r) => r.recipientId === bankId)!.params as Record<string, string>).summary;
    expect(summaryOf('suzhou-bank')).toContain('新增被执行案件');
    for (const bankId of ['icbc-jiaxing', 'hecheng-rcb']) {
      expect(summaryOf(bankId), bankId).not.toMatch(/被执行|失信|逾期|诉讼|处罚/);
      expect(summaryOf(bankId), bankId).toMatch(/授权/);
    }
  });
});
