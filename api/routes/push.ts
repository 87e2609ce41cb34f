// /v1/push-lists: precise push (精准推送). A supervisor builds a list of policy-supported enterprises
// by tags (Enterprise.tags) or from an uploaded CSV (credit code[,name]), pushes it to chosen banks
// (one PushTarget per bank, each bank told through the notification outbox), each bank records what
// it did about each enterprise, and the supervisor sees which banks acted on which enterprises.
// Banks see only the lists pushed to them; a bank's view carries only its own actions.
import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { isValidCreditCode } from '../../domain/creditCode';
import { ENTERPRISE_TAGS } from '../../domain/enterprise';
import { createNotificationStores } from '../../notifications/deps';
import { recordEvent } from '../../notifications/eventOutbox';
import type { NotificationRequest } from '../../notifications/types';
import type { deliverNotificationsWorkflow } from '../../workflows/notify';
import { notVisible, ownBank, requireRole } from '../auth/access';
import type { ApiDeps } from '../deps';
import { respondIdempotently } from '../idempotency';
import { afterCursor, CURSOR_ORDER, decodeCursor, page } from '../pagination';
import { HttpProblem } from '../problem';
import { bankId, uuid } from '../schemas/financingRequests';
import { parseBody, parseParams, parseQuery } from '../validate';

export const PUSH_ACTIONS = ['viewed', 'contacted', 'declined', 'request'] as const;
/** The bank's prompt. */
export const PUSH_TEMPLATE = 'pushListReceived';
/** CSV uploads: text/csv bodies up to this size (JSON bodies keep the API's 64 kB limit). */
const CSV_LIMIT = '2mb';
const MAX_CSV_ROWS = 50_000;
const CHUNK = 5000;

// ---- schemas (also the OpenAPI entries, api/openapi/supervisionStats.ts) ----

const listName = z.string().trim().min(2).max(200);
export const createPushListBody = z
  .union([
    z.strictObject({
      name: listName,
      tags: z.array(z.enum(ENTERPRISE_TAGS)).min(1).max(ENTERPRISE_TAGS.length),
      match: z.enum(['any', 'all']).default('any').meta({ description: 'any: enterprises with at least one of the tags; all: with every tag' }),
    }),
    z.strictObject({
      name: listName,
      csv: z.string().min(1).meta({ description: 'CSV text: credit code[,name] per line, an optional header line' }),
    }),
  ])
  .meta({ id: 'CreatePushList', description: 'By tags, or by CSV (also accepted as a text/csv body with ?name=)' });
export const csvUploadQuery = z.strictObject({ name: listName.optional() });
export const pushListParams = z.strictObject({ id: uuid });
export const pushListQuery = z.strictObject({
  entriesLimit: z.coerce.number().int().min(0).max(5000).default(500),
  entriesOffset: z.coerce.number().int().min(0).default(0),
});
export const pushListsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(50), cursor: z.string().max(200).optional() });
export const pushBody = z.strictObject({ bankIds: z.array(bankId).min(1).max(100) }).meta({ id: 'PushToBanks' });
export const pushActionBody = z
  .strictObject({ enterpriseId: uuid, action: z.enum(PUSH_ACTIONS), note: z.string().trim().max(500).optional() })
  .meta({ id: 'PushAction', description: 'What the bank did about one enterprise of the list; a later action replaces the earlier one' });

const actionRecord = z.object({ action: z.enum(PUSH_ACTIONS), at: z.iso.datetime(), note: z.string().optional() });
const entryView = z.object({
  enterpriseId: uuid,
  creditCode: z.string(),
  name: z.string(),
  industry: z.string(),
  region: z.string(),
  tags: z.array(z.string()),
});
const targetView = z.object({
  bankId: z.string(),
  bankName: z.string(),
  pushedAt: z.iso.datetime(),
  actions: z.record(z.string(), actionRecord).meta({ description: 'enterpriseId → latest action' }),
  counts: z.record(z.string(), z.number().int()).meta({ description: 'Enterprises per action' }),
});
export const pushListView = z
  .object({
    id: uuid,
    name: z.string(),
    source: z.string().meta({ description: 'tags:<a,b> (any tag), tags:<a+b> (every tag) or csv' }),
    createdAt: z.iso.datetime(),
    entryCount: z.number().int(),
    entries: z.array(entryView),
    targets: z.array(targetView).meta({ description: 'Supervisors: every bank; a bank: its own' }),
    /** Supervisors only: per enterprise, which banks did what. */
    byEnterprise: z
      .array(z.object({ enterpriseId: uuid, actions: z.array(actionRecord.extend({ bankId: z.string() })) }))
      .optional()
      .meta({ description: 'Supervisors: enterprises some bank acted on, with every bank’s action' }),
  })
  .meta({ id: 'PushList' });
export const pushListCreated = pushListView
  .pick({ id: true, name: true, source: true, createdAt: true, entryCount: true })
  .extend({
    unknownCreditCodes: z.array(z.string()).meta({ description: 'Valid codes of no enterprise on the platform (left out)' }),
    invalidRows: z.array(z.object({ line: z.number().int(), value: z.string(), reason: z.string() })),
    nameMismatches: z.array(z.object({ creditCode: z.string(), given: z.string(), registered: z.string() })),
    duplicates: z.number().int(),
  })
  .meta({ id: 'PushListCreated' });
export const pushResult = z
  .object({ id: uuid, pushed: z.array(z.string()), alreadyPushed: z.array(z.string()), notificationIds: z.array(z.string()) })
  .meta({ id: 'PushResult' });

// ---- building a list ----

type Report = Omit<z.output<typeof pushListCreated>, 'id' | 'name' | 'source' | 'createdAt' | 'entryCount'>;

const CODE_SHAPE = /^[0-9A-Z]{18}$/;

/** Enterprises named by a CSV; every problem line is reported, none is fatal. */
async function fromCsv(deps: ApiDeps, csv: string): Promise<{ ids: string[]; report: Report }> {
  let rows: string[][];
  try {
    rows = parseCsv(csv, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true });
  } catch (err) {
    throw new HttpProblem(400, 'invalid-csv', 'The CSV could not be read', (err as Error).message);
  }
  if (rows.length > MAX_CSV_ROWS) throw new HttpProblem(413, 'csv-too-long', 'Too many CSV lines', `At most ${MAX_CSV_ROWS}`);
  const report: Report = { unknownCreditCodes: [], invalidRows: [], nameMismatches: [], duplicates: 0 };
  const given = new Map<string, string | undefined>();
  rows.forEach((row, i) => {
    const value = (row[0] ?? '').toUpperCase();
    // A first line that is no code at all is a header (信用代码,名称 / creditCode,name).
    if (i === 0 && !CODE_SHAPE.test(value) && !/\d{6}/.test(value)) return;
    if (!CODE_SHAPE.test(value)) return void report.invalidRows.push({ line: i + 1, value: row[0] ?? '', reason: 'not 18 characters of 0–9 and A–Z' });
    if (!isValidCreditCode(value)) return void report.invalidRows.push({ line: i + 1, value, reason: 'check character (GB 32100-2015) does not match' });
    if (given.has(value)) return void report.duplicates++;
    given.set(value, row[1] || undefined);
  });
  const codes = [...given.keys()];
  const found = new Map<string, { id: string; name: string }>();
  for (let i = 0; i < codes.length; i += CHUNK) {
    const rowsFound = await deps.prisma.enterprise.findMany({
      where: { creditCode: { in: codes.slice(i, i + CHUNK) } },
      select: { id: true, creditCode: true, name: true },
    });
    for (const e of rowsFound) found.set(e.creditCode, e);
  }
  const ids: string[] = [];
  for (const [code, name] of given) {
    const e = found.get(code);
    if (!e) report.unknownCreditCodes.push(code);
    else {
      ids.push(e.id);
      if (name && name !== e.name) report.nameMismatches.push({ creditCode: code, given: name, registered: e.name });
    }
  }
  return { ids, report };
}

async function fromTags(deps: ApiDeps, tags: string[], match: 'any' | 'all'): Promise<string[]> {
  const rows = await deps.prisma.enterprise.findMany({
    where: { status: 'active', tags: match === 'all' ? { hasEvery: tags } : { hasSome: tags } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => r.id);
}

// ---- views ----

type ActionMap = Record<string, z.output<typeof actionRecord>>;

async function listView(deps: ApiDeps, id: string, onlyBank: string | undefined, q: z.output<typeof pushListQuery>): Promise<z.output<typeof pushListView>> {
  const [list, entryCount, entries, targets] = await Promise.all([
    deps.prisma.pushList.findUniqueOrThrow({ where: { id } }),
    deps.prisma.pushListEntry.count({ where: { pushListId: id } }),
    deps.prisma.$queryRaw<{ enterpriseId: string; creditCode: string; name: string; industry: string; region: string; tags: string[] }[]>`
      SELECT e."id"::text AS "enterpriseId", e."creditCode", e."name", e."industry", e."region", e."tags"
      FROM "PushListEntry" pe JOIN "Enterprise" e ON e."id" = pe."enterpriseId"
      WHERE pe."pushListId" = ${id}::uuid ORDER BY pe."enterpriseId" LIMIT ${q.entriesLimit} OFFSET ${q.entriesOffset}`,
    deps.prisma.pushTarget.findMany({ where: { pushListId: id, ...(onlyBank ? { bankId: onlyBank } : {}) }, orderBy: { pushedAt: 'asc' } }),
  ]);
  const names = new Map(
    (await deps.prisma.bank.findMany({ where: { id: { in: targets.map((t) => t.bankId) } }, select: { id: true, name: true } })).map((b) => [b.id, b.name]),
  );
  const targetViews = targets.map((t) => {
    const actions = (t.actions ?? {}) as ActionMap;
    const counts: Record<string, number> = Object.fromEntries(PUSH_ACTIONS.map((a) => [a, 0]));
    for (const a of Object.values(actions)) counts[a.action] = (counts[a.action] ?? 0) + 1;
    return { bankId: t.bankId, bankName: names.get(t.bankId) ?? t.bankId, pushedAt: t.pushedAt.toISOString(), actions, counts };
  });
  const byEnterprise = new Map<string, (z.output<typeof actionRecord> & { bankId: string })[]>();
  if (!onlyBank)
    for (const t of targetViews)
      for (const [enterpriseId, a] of Object.entries(t.actions))
        byEnterprise.set(enterpriseId, [...(byEnterprise.get(enterpriseId) ?? []), { bankId: t.bankId, ...a }]);
  return {
    id: list.id,
    name: list.name,
    source: list.source,
    createdAt: list.createdAt.toISOString(),
    entryCount,
    entries,
    targets: targetViews,
    ...(onlyBank ? {} : { byEnterprise: [...byEnterprise].map(([enterpriseId, actions]) => ({ enterpriseId, actions })) }),
  };
}

// ---- router ----

export function pushRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;
  const stores = createNotificationStores(process.env, prisma);
  const overseer = (req: Request, res: Response) => requireRole(req, res, prisma, 'supervisor', 'admin');
  /** A list the calling bank may see: pushed to it; otherwise 404 (its existence is not leaked). */
  const bankVisible = async (req: Request, res: Response, listId: string, bank: string) => {
    if (!(await prisma.pushTarget.findUnique({ where: { pushListId_bankId: { pushListId: listId, bankId: bank } } })))
      notVisible(req, res, prisma, 'push list', `push list ${listId} not pushed to bank ${bank}`);
  };

  r.post('/', express.text({ type: 'text/csv', limit: CSV_LIMIT }), async (req, res) => {
    const p = overseer(req, res);
    await respondIdempotently(prisma, req, res, async () => {
      let built: { ids: string[]; report: Report };
      let name: string;
      let source: string;
      if (req.is('text/csv')) {
        name = parseQuery(csvUploadQuery, req).name ?? `CSV ${new Date().toISOString().slice(0, 10)}`;
        source = 'csv';
        built = await fromCsv(deps, typeof req.body === 'string' ? req.body : '');
      } else {
        const body = parseBody(createPushListBody, req);
        name = body.name;
        if ('csv' in body) {
          source = 'csv';
          built = await fromCsv(deps, body.csv);
        } else {
          source = `tags:${body.tags.join(body.match === 'all' ? '+' : ',')}`;
          built = { ids: await fromTags(deps, body.tags, body.match), report: { unknownCreditCodes: [], invalidRows: [], nameMismatches: [], duplicates: 0 } };
        }
      }
      if (built.ids.length === 0)
        throw new HttpProblem(
          422,
          'empty-push-list',
          'No enterprise on the platform matches',
          'Nothing to push: no tag matched, or no credit code is known',
          built.report,
        );
      const id = randomUUID();
      const list = await prisma.$transaction(async (tx) => {
        const created = await tx.pushList.create({ data: { id, name, source, supervisorId: p.id } });
        for (let i = 0; i < built.ids.length; i += CHUNK)
          await tx.pushListEntry.createMany({
            data: built.ids.slice(i, i + CHUNK).map((enterpriseId) => ({ pushListId: id, enterpriseId })),
            skipDuplicates: true,
          });
        return created;
      });
      return {
        status: 201,
        location: `/v1/push-lists/${id}`,
        body: { id, name, source, createdAt: list.createdAt.toISOString(), entryCount: built.ids.length, ...built.report },
      };
    });
  });

  r.get('/', async (req, res) => {
    overseer(req, res);
    const q = parseQuery(pushListsQuery, req);
    const rows = await prisma.pushList.findMany({
      where: afterCursor(decodeCursor(q.cursor)),
      include: { _count: { select: { entries: true } }, targets: { select: { bankId: true, pushedAt: true, actions: true } } },
      orderBy: CURSOR_ORDER,
      take: q.limit + 1,
    });
    const pg = page(rows, q.limit);
    res.json({
      items: pg.items.map((l) => ({
        id: l.id,
        name: l.name,
        source: l.source,
        createdAt: l.createdAt.toISOString(),
        entryCount: l._count.entries,
        banks: l.targets.map((t) => ({ bankId: t.bankId, pushedAt: t.pushedAt.toISOString(), acted: Object.keys((t.actions ?? {}) as object).length })),
      })),
      nextCursor: pg.nextCursor,
    });
  });

  // Before /:id, so "inbox" is not taken for a list id.
  r.get('/inbox', async (req, res) => {
    const bank = ownBank(req, res, prisma);
    const targets = await prisma.pushTarget.findMany({
      where: { bankId: bank },
      include: { pushList: { include: { _count: { select: { entries: true } } } } },
      orderBy: { pushedAt: 'desc' },
      take: 100,
    });
    res.json({
      items: targets.map((t) => ({
        id: t.pushListId,
        name: t.pushList.name,
        source: t.pushList.source,
        pushedAt: t.pushedAt.toISOString(),
        entryCount: t.pushList._count.entries,
        acted: Object.keys((t.actions ?? {}) as object).length,
      })),
    });
  });

  r.get('/:id', async (req, res) => {
    const p = requireRole(req, res, prisma, 'supervisor', 'admin', 'bank');
    const { id } = parseParams(pushListParams, req);
    const q = parseQuery(pushListQuery, req);
    if (p.role === 'bank') await bankVisible(req, res, id, ownBank(req, res, prisma));
    else if (!(await prisma.pushList.count({ where: { id } }))) throw new HttpProblem(404, 'not-found', 'No such push list');
    res.json(await listView(deps, id, p.role === 'bank' ? p.bankId! : undefined, q));
  });

  r.post('/:id/push', async (req, res) => {
    const p = overseer(req, res);
    const { id } = parseParams(pushListParams, req);
    await respondIdempotently(prisma, req, res, async () => {
      const body = parseBody(pushBody, req);
      const list = await prisma.pushList.findUnique({ where: { id }, include: { _count: { select: { entries: true } } } });
      if (!list) throw new HttpProblem(404, 'not-found', 'No such push list');
      const bankIds = [...new Set(body.bankIds)];
      const banks = await prisma.bank.findMany({ where: { id: { in: bankIds }, active: true }, select: { id: true } });
      const missing = bankIds.filter((b) => !banks.some((x) => x.id === b));
      if (missing.length) throw new HttpProblem(422, 'unknown-bank', 'Unknown or inactive bank', missing.join(', '), { bankIds: missing });
      const now = new Date();
      const { pushed, notificationIds } = await prisma.$transaction(async (tx) => {
        const before = await tx.pushTarget.findMany({ where: { pushListId: id, bankId: { in: bankIds } }, select: { bankId: true } });
        const fresh = bankIds.filter((b) => !before.some((t) => t.bankId === b));
        await tx.pushTarget.createMany({ data: fresh.map((bankId) => ({ pushListId: id, bankId, pushedAt: now })), skipDuplicates: true });
        // The prompt commits with the push: a bank is never pushed to without being told.
        const notificationIds: string[] = [];
        for (const b of fresh) {
          const prompt: NotificationRequest = {
            templateId: PUSH_TEMPLATE,
            recipient: { type: 'bank', id: b },
            params: { listName: list.name, count: list._count.entries, supervisorName: p.name, pushListId: id },
          };
          const event = { eventKey: `pushList:${id}:${b}`, financingRequestId: null, notify: [prompt], now };
          notificationIds.push(...(await recordEvent(tx, event, stores)).notificationIds);
        }
        return { pushed: fresh, notificationIds };
      });
      // This push's prompts, and any an earlier attempt committed but could not hand to Temporal.
      const pending = await prisma.notification.findMany({
        where: { id: { startsWith: `pushList:${id}:` }, status: { in: ['pending', 'held'] } },
        select: { id: true },
      });
      if (pending.length > 0)
        await startDelivery(
          deps,
          `deliver-pushList-${id}-${now.getTime()}`,
          pending.map((n) => n.id),
        );
      return {
        status: pushed.length ? 201 : 200,
        body: { id, pushed, alreadyPushed: bankIds.filter((b) => !pushed.includes(b)), notificationIds },
      };
    });
  });

  r.post('/:id/actions', async (req, res) => {
    const bank = ownBank(req, res, prisma);
    const { id } = parseParams(pushListParams, req);
    await bankVisible(req, res, id, bank);
    await respondIdempotently(prisma, req, res, async () => {
      const body = parseBody(pushActionBody, req);
      const inList = await prisma.pushListEntry.count({ where: { pushListId: id, enterpriseId: body.enterpriseId } });
      if (!inList) throw new HttpProblem(422, 'not-in-list', 'This enterprise is not on the list');
      const record = { action: body.action, at: new Date().toISOString(), ...(body.note ? { note: body.note } : {}) };
      // One statement: concurrent actions on other enterprises of the same list never overwrite each other.
      await prisma.$executeRaw`
        UPDATE "PushTarget" SET "actions" = "actions" || jsonb_build_object(${body.enterpriseId}::text, ${JSON.stringify(record)}::jsonb)
        WHERE "pushListId" = ${id}::uuid AND "bankId" = ${bank}`;
      return { status: 200, body: { id, bankId: bank, enterpriseId: body.enterpriseId, ...record } };
    });
  });

  return r;
}

/**
 * Delivers the prompts in a workflow (retries, quiet hours), as the lifecycle does; the push does not
 * wait for delivery. If Temporal cannot be reached the call fails (503, answer not stored): the rows
 * are committed, and a retry with the same Idempotency-Key hands them over again.
 */
async function startDelivery(deps: ApiDeps, workflowId: string, ids: string[]): Promise<void> {
  try {
    await deps.temporal.workflow.start<typeof deliverNotificationsWorkflow>('deliverNotificationsWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [ids],
    });
  } catch (err) {
    deps.log.warn({ err, workflowId }, 'push-list prompt delivery not started');
    throw new HttpProblem(503, 'notifications-unavailable', 'The push is recorded but the banks could not be told yet', 'Retry with the same Idempotency-Key');
  }
}
