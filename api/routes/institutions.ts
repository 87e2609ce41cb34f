// Banks and guarantee institutions as master data: platform admins and supervisors register,
// update, suspend and re-activate them (every change audited in InstitutionAudit); institution
// admins manage their own users. One implementation serves both institution types.
import { Router, type Request, type Response } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Prisma, Principal as PrincipalRow } from '../../generated/prisma/client';
import { institutionMay, type InstitutionType } from '../../domain/institutions';
import { notVisible, principalOf, requireRole } from '../auth/access';
import { auditRefusal } from '../auth/audit';
import { hashPassword } from '../auth/passwords';
import type { Principal } from '../auth/principal';
import type { ApiDeps } from '../deps';
import { respondIdempotently } from '../idempotency';
import { HttpProblem } from '../problem';
import * as sc from '../schemas/institutions';
import { parseBody, parseParams } from '../validate';

type Db = ApiDeps['prisma'];
type Row = Record<string, unknown> & { id: string; active: boolean };

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : null);

export function bankView(b: Prisma.BankGetPayload<object>) {
  return {
    id: b.id,
    name: b.name,
    nameEn: b.nameEn,
    creditCode: b.creditCode,
    kind: b.kind,
    parentBankId: b.parentBankId,
    region: b.region,
    regions: b.regions,
    email: b.email,
    mobile: b.mobile,
    active: b.active,
    suspendedAt: iso(b.suspendedAt),
    suspendedReason: b.suspendedReason,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

export function guarantorView(g: Prisma.GuaranteeInstitutionGetPayload<object>) {
  return {
    id: g.id,
    name: g.name,
    nameEn: g.nameEn,
    creditCode: g.creditCode,
    kind: g.kind,
    parentId: g.parentId,
    region: g.region,
    regions: g.regions,
    email: g.email,
    mobile: g.mobile,
    active: g.active,
    isFund: g.isFund,
    feeRateBp: g.feeRateBp,
    feePolicyNote: g.feePolicyNote,
    suspendedAt: iso(g.suspendedAt),
    suspendedReason: g.suspendedReason,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

export const institutionUserView = (p: PrincipalRow) => ({
  id: p.id,
  name: p.name,
  email: p.email,
  mobile: p.mobile,
  institutionRole: p.institutionRole,
  branch: p.branch,
  region: p.region,
  active: p.active,
});

/** The differences between a row and an update: { field: [before, after] } for changed fields only. */
function changesOf(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) {
    const b = before[k] instanceof Date ? (before[k] as Date).toISOString() : before[k];
    if (JSON.stringify(b ?? null) !== JSON.stringify(v ?? null)) out[k] = [b ?? null, v ?? null];
  }
  return out;
}

function audit(
  db: Pick<Db, 'institutionAudit'>,
  type: InstitutionType,
  institutionId: string,
  action: string,
  actorId: string,
  changes: object,
  reason?: string | null,
) {
  return db.institutionAudit.create({
    data: { institutionType: type, institutionId, action, actorId, changes: changes as Prisma.InputJsonValue, reason: reason ?? null },
  });
}

/** A slug id for an institution registered without one. */
const newSlug = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

interface TypeSpec {
  type: InstitutionType;
  /** Path segment and param name. */
  segment: 'banks' | 'guarantee-institutions';
  param: 'bankId' | 'guaranteeInstitutionId';
  label: string;
  find(db: Db, id: string): Promise<Row | null>;
  list(db: Db): Promise<Row[]>;
  create(db: Prisma.TransactionClient, data: Record<string, unknown>): Promise<Row>;
  update(db: Prisma.TransactionClient, id: string, data: Record<string, unknown>): Promise<Row>;
  view(row: Row): object;
  createBody: typeof sc.createBankBody | typeof sc.createGuarantorBody;
  updateBody: typeof sc.updateBankBody | typeof sc.updateGuarantorBody;
  params: typeof sc.bankParams | typeof sc.guarantorParams;
  userParams: typeof sc.bankUserParams | typeof sc.guarantorUserParams;
  /** The organisation field of a principal of this type. */
  principalField: 'bankId' | 'guaranteeInstitutionId';
  role: 'bank' | 'guaranteeInstitution';
}

const BANKS: TypeSpec = {
  type: 'bank',
  segment: 'banks',
  param: 'bankId',
  label: 'bank',
  find: (db, id) => db.bank.findUnique({ where: { id } }),
  list: (db) => db.bank.findMany({ orderBy: { id: 'asc' }, take: 2000 }),
  create: (db, data) => db.bank.create({ data: data as Prisma.BankUncheckedCreateInput }),
  update: (db, id, data) => db.bank.update({ where: { id }, data }),
  view: (r) => bankView(r as Prisma.BankGetPayload<object>),
  createBody: sc.createBankBody,
  updateBody: sc.updateBankBody,
  params: sc.bankParams,
  userParams: sc.bankUserParams,
  principalField: 'bankId',
  role: 'bank',
};

const GUARANTORS: TypeSpec = {
  type: 'guaranteeInstitution',
  segment: 'guarantee-institutions',
  param: 'guaranteeInstitutionId',
  label: 'guarantee institution',
  find: (db, id) => db.guaranteeInstitution.findUnique({ where: { id } }),
  list: (db) => db.guaranteeInstitution.findMany({ orderBy: { id: 'asc' }, take: 2000 }),
  create: (db, data) => db.guaranteeInstitution.create({ data: data as Prisma.GuaranteeInstitutionUncheckedCreateInput }),
  update: (db, id, data) => db.guaranteeInstitution.update({ where: { id }, data }),
  view: (r) => guarantorView(r as Prisma.GuaranteeInstitutionGetPayload<object>),
  createBody: sc.createGuarantorBody,
  updateBody: sc.updateGuarantorBody,
  params: sc.guarantorParams,
  userParams: sc.guarantorUserParams,
  principalField: 'guaranteeInstitutionId',
  role: 'guaranteeInstitution',
};

/** Suspension takes a bank out of every open pool at once (the read model; grabs are refused by institutionGuards). */
async function leaveOpenPools(tx: Prisma.TransactionClient, bankId: string): Promise<number> {
  return tx.$executeRaw`UPDATE "FinancingRequest" SET "eligibleBankIds" = array_remove("eligibleBankIds", ${bankId}), "updatedAt" = now()
     WHERE ${bankId} = ANY("eligibleBankIds") AND "stage" <> 'closed'`;
}

/** The institution id a caller may manage users of: platform admins any, institution admins their own. */
function mayManageUsers(req: Request, res: Response, db: Db, spec: TypeSpec, id: string, roleRow: PrincipalRow | null): Principal {
  const p = principalOf(res);
  if (p.role === 'admin') return p;
  if (p.role === spec.role && p[spec.principalField] === id && roleRow && institutionMay(roleRow.institutionRole, 'manageUsers') && roleRow.institutionRole)
    return p;
  auditRefusal(db, req, p, 403, `may not manage users of ${spec.type} ${id}`);
  throw new HttpProblem(403, 'forbidden', 'Only a platform admin or this institution’s admin manages its users');
}

function institutionRoutes(r: Router, deps: ApiDeps, spec: TypeSpec): void {
  const { prisma } = deps;
  const base = `/${spec.segment}`;
  const one = `${base}/:${spec.param}`;
  const idOf = (req: Request) => (parseParams(spec.params, req) as Record<string, string>)[spec.param]!;

  async function load(req: Request, res: Response): Promise<Row> {
    const id = idOf(req);
    const row = await spec.find(prisma, id);
    if (!row) notVisible(req, res, prisma, spec.label, `no ${spec.type} ${id}`);
    return row;
  }

  r.post(base, async (req, res) => {
    const p = requireRole(req, res, prisma, 'admin', 'supervisor');
    const body = parseBody(spec.createBody, req) as Record<string, unknown> & { id?: string; creditCode: string };
    await respondIdempotently(prisma, req, res, async () => {
      const id = body.id ?? newSlug(spec.type === 'bank' ? 'bank' : 'gi');
      if (await spec.find(prisma, id)) throw new HttpProblem(409, 'institution-exists', `A ${spec.label} with this id exists`, id);
      const parent = (body.parentBankId ?? body.parentId) as string | undefined;
      if (parent && !(await spec.find(prisma, parent))) throw new HttpProblem(422, 'unknown-parent', `No such parent ${spec.label}`, parent);
      const dup =
        (await prisma.bank.count({ where: { creditCode: body.creditCode } })) +
        (await prisma.guaranteeInstitution.count({ where: { creditCode: body.creditCode } }));
      if (dup) throw new HttpProblem(409, 'credit-code-taken', 'Another institution has this unified social credit code');
      const row = await prisma.$transaction(async (tx) => {
        const created = await spec.create(tx, { ...body, id });
        await audit(tx, spec.type, id, 'registered', p.id, changesOf({}, spec.view(created) as Record<string, unknown>));
        return created;
      });
      return { status: 201, body: spec.view(row), location: `/v1${base}/${id}` };
    });
  });

  r.get(base, async (req, res) => {
    requireRole(req, res, prisma, 'admin', 'supervisor');
    res.json({ items: (await spec.list(prisma)).map(spec.view) });
  });

  r.get(one, async (req, res) => {
    const p = principalOf(res);
    const id = idOf(req);
    if (!(p.role === 'admin' || p.role === 'supervisor' || (p.role === spec.role && p[spec.principalField] === id)))
      notVisible(req, res, prisma, spec.label, `${spec.type} ${id} is not the caller's`);
    res.json(spec.view(await load(req, res)));
  });

  r.patch(one, async (req, res) => {
    const p = requireRole(req, res, prisma, 'admin', 'supervisor');
    const row = await load(req, res);
    const body = parseBody(spec.updateBody, req) as Record<string, unknown>;
    const parent = (body.parentBankId ?? body.parentId) as string | undefined;
    if (parent === row.id) throw new HttpProblem(422, 'unknown-parent', 'An institution cannot be its own parent');
    if (parent && !(await spec.find(prisma, parent))) throw new HttpProblem(422, 'unknown-parent', `No such parent ${spec.label}`, parent);
    const updated = await prisma.$transaction(async (tx) => {
      const u = await spec.update(tx, row.id, body);
      const changes = changesOf(spec.view(row) as Record<string, unknown>, spec.view(u) as Record<string, unknown>);
      delete changes.updatedAt;
      if (Object.keys(changes).length) await audit(tx, spec.type, row.id, 'updated', p.id, changes);
      return u;
    });
    res.json(spec.view(updated));
  });

  r.post(`${one}/suspend`, async (req, res) => {
    const p = requireRole(req, res, prisma, 'admin', 'supervisor');
    const row = await load(req, res);
    const { reason } = parseBody(sc.suspendBody, req);
    await respondIdempotently(prisma, req, res, async () => {
      if (!row.active) throw new HttpProblem(409, 'already-suspended', `This ${spec.label} is suspended already`);
      const updated = await prisma.$transaction(async (tx) => {
        const u = await spec.update(tx, row.id, { active: false, suspendedAt: new Date(), suspendedReason: reason });
        const leftPools = spec.type === 'bank' ? await leaveOpenPools(tx, row.id) : 0;
        await audit(tx, spec.type, row.id, 'suspended', p.id, { active: [true, false], leftOpenPools: leftPools }, reason);
        return u;
      });
      return { status: 200, body: spec.view(updated) };
    });
  });

  r.post(`${one}/reactivate`, async (req, res) => {
    const p = requireRole(req, res, prisma, 'admin', 'supervisor');
    const row = await load(req, res);
    const { reason } = parseBody(sc.reactivateBody, req);
    await respondIdempotently(prisma, req, res, async () => {
      if (row.active) throw new HttpProblem(409, 'not-suspended', `This ${spec.label} is not suspended`);
      const updated = await prisma.$transaction(async (tx) => {
        const u = await spec.update(tx, row.id, { active: true, suspendedAt: null, suspendedReason: null });
        await audit(tx, spec.type, row.id, 'reactivated', p.id, { active: [false, true] }, reason);
        return u;
      });
      return { status: 200, body: spec.view(updated) };
    });
  });

  r.get(`${one}/audit`, async (req, res) => {
    requireRole(req, res, prisma, 'admin', 'supervisor');
    const row = await load(req, res);
    const items = await prisma.institutionAudit.findMany({
      where: { institutionType: spec.type, institutionId: row.id },
      orderBy: { id: 'desc' },
      take: 500,
    });
    res.json({
      items: items.map((a) => ({ action: a.action, actorId: a.actorId, reason: a.reason, changes: a.changes as object, at: a.at.toISOString() })),
    });
  });

  const callerRow = (res: Response) => prisma.principal.findUnique({ where: { id: principalOf(res).id } });

  r.get(`${one}/users`, async (req, res) => {
    const id = idOf(req);
    mayManageUsers(req, res, prisma, spec, id, await callerRow(res));
    const row = await load(req, res);
    const users = await prisma.principal.findMany({ where: { [spec.principalField]: row.id }, orderBy: { createdAt: 'asc' }, take: 5000 });
    res.json({ items: users.map(institutionUserView) });
  });

  r.post(`${one}/users`, async (req, res) => {
    const id = idOf(req);
    const p = mayManageUsers(req, res, prisma, spec, id, await callerRow(res));
    const row = await load(req, res);
    const body = parseBody(sc.createUserBody, req);
    if (body.region && spec.type !== 'bank') throw new HttpProblem(422, 'no-region', 'Only bank users are limited to a region');
    const email = body.email.toLowerCase();
    await respondIdempotently(prisma, req, res, async () => {
      if (await prisma.principal.count({ where: { email } })) throw new HttpProblem(409, 'email-taken', 'Another principal signs in with this e-mail');
      const user = await prisma.$transaction(async (tx) => {
        const u = await tx.principal.create({
          data: {
            id: randomUUID(),
            role: spec.role,
            name: body.name,
            email,
            passwordHash: await hashPassword(body.password),
            mobile: body.mobile ?? null,
            institutionRole: body.institutionRole,
            branch: body.branch ?? null,
            region: body.region ?? null,
            [spec.principalField]: row.id,
          },
        });
        await audit(tx, spec.type, row.id, 'user_created', p.id, { principalId: u.id, institutionRole: body.institutionRole, email });
        return u;
      });
      return { status: 201, body: institutionUserView(user), location: `/v1${base}/${row.id}/users/${user.id}` };
    });
  });

  r.patch(`${one}/users/:principalId`, async (req, res) => {
    const { principalId, ...rest } = parseParams(spec.userParams, req) as Record<string, string>;
    const id = rest[spec.param]!;
    const p = mayManageUsers(req, res, prisma, spec, id, await callerRow(res));
    const user = await prisma.principal.findUnique({ where: { id: principalId } });
    if (!user || user[spec.principalField] !== id) notVisible(req, res, prisma, 'user', `principal ${principalId} is not of ${spec.type} ${id}`);
    const body = parseBody(sc.updateUserBody, req);
    if (user.id === p.id && (body.active === false || (body.institutionRole && body.institutionRole !== 'admin')))
      throw new HttpProblem(409, 'self-lockout', 'You cannot deactivate yourself or give up your own admin role');
    const updated = await prisma.$transaction(async (tx) => {
      const u = await tx.principal.update({ where: { id: user.id }, data: body });
      await audit(tx, spec.type, id, 'user_updated', p.id, { principalId: user.id, ...changesOf(institutionUserView(user), institutionUserView(u)) });
      return u;
    });
    res.json(institutionUserView(updated));
  });
}

export function institutionsRouter(deps: ApiDeps): Router {
  const r = Router();
  institutionRoutes(r, deps, BANKS);
  institutionRoutes(r, deps, GUARANTORS);
  return r;
}
