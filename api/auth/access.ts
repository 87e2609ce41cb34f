// Authorisation: every route names the roles it serves and checks ownership of the object it
// touches. Role refusals are 403; objects the caller may not see are 404 (their existence is not
// leaked). Both are audited.
import type { Request, Response } from 'express';
import type { PrismaClient } from '../../generated/prisma/client';
import { HttpProblem } from '../problem';
import { auditRefusal } from './audit';
import { isOverseer, type Principal, type Role } from './principal';

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new HttpProblem(401, 'unauthenticated', 'Authentication required');
  return p;
}

/** The caller, if their role is one of `roles`; otherwise 403 (audited). */
export function requireRole(req: Request, res: Response, prisma: PrismaClient, ...roles: Role[]): Principal {
  const p = principalOf(res);
  if (roles.includes(p.role)) return p;
  auditRefusal(prisma, req, p, 403, `role ${p.role} not in ${roles.join('|')}`);
  throw new HttpProblem(403, 'forbidden', 'Your role may not do this', `This needs one of: ${roles.join(', ')}`, { requiredRoles: roles });
}

/** 404 for an object the caller may not see, audited as a refusal (it may exist). */
export function notVisible(req: Request, res: Response, prisma: PrismaClient, what: string, why: string): never {
  auditRefusal(prisma, req, res.locals.principal as Principal | undefined, 404, why);
  throw new HttpProblem(404, 'not-found', `No such ${what}`, `No ${what} you may see has this id`);
}

/** 403 for acting on behalf of another organisation (a body field naming someone else). */
export function notYours(req: Request, res: Response, prisma: PrismaClient, detail: string): never {
  auditRefusal(prisma, req, res.locals.principal as Principal | undefined, 403, detail);
  throw new HttpProblem(403, 'not-your-organisation', 'You may only act for your own organisation', detail);
}

/** The enterprise a call acts for: the caller's own; a body field may repeat it, never name another. */
export function ownEnterprise(req: Request, res: Response, prisma: PrismaClient, named?: string): string {
  const p = requireRole(req, res, prisma, 'enterprise');
  if (!p.enterpriseId) throw new HttpProblem(403, 'forbidden', 'This principal belongs to no enterprise');
  if (named && named !== p.enterpriseId) notYours(req, res, prisma, `enterprise ${named} is not yours`);
  return p.enterpriseId;
}

/** The bank a call acts for: the caller's own; a body field may repeat it, never name another. */
export function ownBank(req: Request, res: Response, prisma: PrismaClient, named?: string): string {
  const p = requireRole(req, res, prisma, 'bank');
  if (!p.bankId) throw new HttpProblem(403, 'forbidden', 'This principal belongs to no bank');
  if (named && named !== p.bankId) notYours(req, res, prisma, `bank ${named} is not yours`);
  return p.bankId;
}

/** The guarantee institution a call acts for. */
export function ownGuarantor(req: Request, res: Response, prisma: PrismaClient, named?: string): string {
  const p = requireRole(req, res, prisma, 'guaranteeInstitution');
  if (!p.guaranteeInstitutionId) throw new HttpProblem(403, 'forbidden', 'This principal belongs to no guarantee institution');
  if (named && named !== p.guaranteeInstitutionId) notYours(req, res, prisma, `guarantee institution ${named} is not yours`);
  return p.guaranteeInstitutionId;
}

export { isOverseer };
