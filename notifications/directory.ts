// Where a recipient is reached: looks up e-mail and mobile of banks, enterprises and guarantee
// institutions; supervisors have no table yet, so their addresses come from SUPERVISOR_EMAILS.
import type { PrismaClient } from '../generated/prisma/client';
import type { RecipientType } from './types';

export interface Contact {
  name?: string;
  email?: string | null;
  mobile?: string | null;
}

export interface RecipientDirectory {
  /** With the message's request, a bank is reached at its responsible officer's addresses first. */
  lookup(type: RecipientType, id: string, about?: { financingRequestId?: string | null }): Promise<Contact | undefined>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Supervisor recipient ids: an e-mail address itself, or any other id (e.g. 'all') meaning every
 * address in SUPERVISOR_EMAILS.
 */
export function supervisorContact(id: string, supervisorEmails: readonly string[]): Contact {
  return { name: 'supervisor', email: id.includes('@') ? id : supervisorEmails.join(',') || null, mobile: null };
}

/** Without claimOfficer/principal (the planner's transaction view) banks are reached at their contact. */
type Db = Pick<PrismaClient, 'bank' | 'enterprise' | 'guaranteeInstitution'> & Partial<Pick<PrismaClient, 'claimOfficer' | 'principal'>>;

export function prismaDirectory(prisma: Db, supervisorEmails: readonly string[] = []): RecipientDirectory {
  return {
    async lookup(type, id, about) {
      switch (type) {
        case 'bank': {
          const b = await prisma.bank.findUnique({ where: { id }, select: { name: true, email: true, mobile: true } });
          if (!b) return undefined;
          const officer = about?.financingRequestId ? await responsibleOfficer(prisma, about.financingRequestId, id) : undefined;
          // Each channel falls back on its own: an officer without a mobile still gets the e-mail.
          return { name: b.name, email: officer?.email ?? b.email, mobile: officer?.mobile ?? b.mobile };
        }
        case 'guaranteeInstitution': {
          const g = await prisma.guaranteeInstitution.findUnique({ where: { id }, select: { name: true, email: true, mobile: true } });
          return g ?? undefined;
        }
        case 'enterprise': {
          if (!UUID.test(id)) return undefined;
          const e = await prisma.enterprise.findUnique({ where: { id }, select: { name: true, email: true, contactMobile: true } });
          return e ? { name: e.name, email: e.email, mobile: e.contactMobile } : undefined;
        }
        case 'supervisor':
          return supervisorContact(id, supervisorEmails);
      }
    },
  };
}

/** The active user responsible for a bank's claim on a request, if one is recorded. */
async function responsibleOfficer(prisma: Db, financingRequestId: string, bankId: string) {
  if (!prisma.claimOfficer || !prisma.principal) return undefined;
  const o = await prisma.claimOfficer.findUnique({ where: { financingRequestId_bankId: { financingRequestId, bankId } }, select: { principalId: true } });
  if (!o) return undefined;
  const p = await prisma.principal.findUnique({ where: { id: o.principalId }, select: { email: true, mobile: true, active: true, bankId: true } });
  return p?.active && p.bankId === bankId ? p : undefined;
}
