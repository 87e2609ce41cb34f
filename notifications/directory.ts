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
  lookup(type: RecipientType, id: string): Promise<Contact | undefined>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Supervisor recipient ids: an e-mail address itself, or any other id (e.g. 'all') meaning every
 * address in SUPERVISOR_EMAILS.
 */
export function supervisorContact(id: string, supervisorEmails: readonly string[]): Contact {
  return { name: 'supervisor', email: id.includes('@') ? id : supervisorEmails.join(',') || null, mobile: null };
}

type Db = Pick<PrismaClient, 'bank' | 'enterprise' | 'guaranteeInstitution'>;

export function prismaDirectory(prisma: Db, supervisorEmails: readonly string[] = []): RecipientDirectory {
  return {
    async lookup(type, id) {
      switch (type) {
        case 'bank': {
          const b = await prisma.bank.findUnique({ where: { id }, select: { name: true, email: true, mobile: true } });
          return b ?? undefined;
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
