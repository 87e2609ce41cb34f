// Institution rules in front of the workflow actions (api/routes/actions.ts): a suspended
// institution takes no new work, an institution user acts within its institution role, and the
// bank user who grabs or accepts a claim becomes its responsible officer (reassignable by the
// institution's admin: GET/PUT /v1/financing-requests/{id}/responsible-officer).
import { Router, type NextFunction, type Request, type Response } from 'express';
import { ACTION_PERMISSIONS, institutionMay, NEW_WORK_ACTIONS } from '../../domain/institutions';
import { notVisible, ownBank, principalOf } from '../auth/access';
import { auditRefusal } from '../auth/audit';
import { visibleRequests } from '../auth/requestAccess';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { financingRequestParams } from '../schemas/financingRequests';
import { officerBody } from '../schemas/institutions';
import { parseBody, parseParams } from '../validate';

/** Actions whose success makes the acting user the claim's responsible officer. */
const TAKES_CLAIM = new Set(['grab', 'accept']);

export function institutionGuardsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { prisma } = deps;

  async function guard(req: Request, res: Response, next: NextFunction, action: string) {
    const p = res.locals.principal as ReturnType<typeof principalOf> | undefined;
    if (!p || (p.role !== 'bank' && p.role !== 'guaranteeInstitution')) return next();
    const row = await prisma.principal.findUnique({ where: { id: p.id }, select: { institutionRole: true } });
    const needed = ACTION_PERMISSIONS[action] ?? 'act';
    if (!institutionMay(row?.institutionRole, needed)) {
      auditRefusal(prisma, req, p, 403, `institution role ${row?.institutionRole} may not ${action}`);
      throw new HttpProblem(403, 'needs-approver', 'Only an approver or the institution admin may do this', `your role: ${row?.institutionRole}`);
    }
    if (p.role === 'bank' && p.bankId) {
      if (NEW_WORK_ACTIONS.includes(action)) {
        const bank = await prisma.bank.findUnique({ where: { id: p.bankId }, select: { active: true } });
        if (!bank?.active) {
          auditRefusal(prisma, req, p, 409, `bank ${p.bankId} is suspended`);
          throw new HttpProblem(409, 'institution-suspended', 'Your institution is suspended and takes no new requests', 'Live claims continue');
        }
      }
      const guarantor = (req.body as { guaranteeInstitutionId?: unknown } | undefined)?.guaranteeInstitutionId;
      if (action === 'approve' && typeof guarantor === 'string') {
        const g = await prisma.guaranteeInstitution.findUnique({ where: { id: guarantor }, select: { active: true } });
        if (g && !g.active) throw new HttpProblem(422, 'guarantor-suspended', 'This guarantee institution is suspended and takes no new guarantees', guarantor);
      }
      if (TAKES_CLAIM.has(action)) {
        const bankId = p.bankId;
        const financingRequestId = String(req.params.id);
        res.on('finish', () => {
          if (res.statusCode !== 200) return;
          // The first taker stays responsible (a retried grab or a second accept changes nothing).
          void prisma.claimOfficer
            .createMany({ data: [{ financingRequestId, bankId, principalId: p.id, assignedBy: p.id }], skipDuplicates: true })
            .catch((err: unknown) => deps.log.error({ err, financingRequestId, bankId }, 'responsible officer not recorded'));
        });
      }
    }
    next();
  }

  r.post('/:id/guarantees/:bankId/:action', (req, res, next) => guard(req, res, next, String(req.params.action)));
  r.post('/:id/:action', (req, res, next) => guard(req, res, next, String(req.params.action)));

  /** The claim's responsible officer as the caller's bank sees it (null: prompts go to the bank's contact). */
  async function officerOf(financingRequestId: string, bankId: string) {
    const o = await prisma.claimOfficer.findUnique({ where: { financingRequestId_bankId: { financingRequestId, bankId } } });
    const who = o ? await prisma.principal.findUnique({ where: { id: o.principalId }, select: { name: true } }) : null;
    return { financingRequestId, bankId, principalId: o?.principalId ?? null, name: who?.name ?? null, assignedAt: o?.assignedAt.toISOString() ?? null };
  }

  async function ownClaim(req: Request, res: Response): Promise<{ id: string; bankId: string }> {
    const bankId = ownBank(req, res, prisma);
    const { id } = parseParams(financingRequestParams, req);
    const visible = await prisma.financingRequest.count({ where: { AND: [{ id }, visibleRequests(principalOf(res))] } });
    const held = visible && (await prisma.claim.count({ where: { financingRequestId: id, bankId } }));
    if (!held) notVisible(req, res, prisma, 'claim', `bank ${bankId} holds no claim on ${id}`);
    return { id, bankId };
  }

  r.get('/:id/responsible-officer', async (req, res) => {
    const { id, bankId } = await ownClaim(req, res);
    res.json(await officerOf(id, bankId));
  });

  r.put('/:id/responsible-officer', async (req, res) => {
    const { id, bankId } = await ownClaim(req, res);
    const p = principalOf(res);
    const me = await prisma.principal.findUnique({ where: { id: p.id }, select: { institutionRole: true } });
    if (me?.institutionRole !== 'admin' || !institutionMay(me.institutionRole, 'reassignOfficer')) {
      auditRefusal(prisma, req, p, 403, 'only the institution admin reassigns claims');
      throw new HttpProblem(403, 'forbidden', 'Only your institution’s admin reassigns a claim');
    }
    const body = parseBody(officerBody, req);
    const officer = await prisma.principal.findUnique({ where: { id: body.principalId } });
    if (!officer || officer.bankId !== bankId || !officer.active)
      throw new HttpProblem(422, 'unknown-officer', 'No active user of your bank has this id', body.principalId);
    await prisma.claimOfficer.upsert({
      where: { financingRequestId_bankId: { financingRequestId: id, bankId } },
      create: { financingRequestId: id, bankId, principalId: officer.id, assignedBy: p.id },
      update: { principalId: officer.id, assignedBy: p.id, assignedAt: new Date() },
    });
    res.json(await officerOf(id, bankId));
  });
  return r;
}
