// The path of each source's record, shared by the simulator (which serves it) and the clients
// (which call it). In production every source has its own base URL; the path stays the same, so
// a real provider behind a different path needs only a gateway rewrite or a new entry here.
import type { SourceName } from '../domain/credit/sources';

export const SOURCE_ROUTES: Record<SourceName, string> = {
  marketRegulation: '/market-regulation/v1/enterprises/:creditCode',
  tax: '/tax/v1/taxpayers/:creditCode',
  utilities: '/utilities/v1/consumers/:creditCode/usage',
  socialSecurity: '/social-security/v1/employers/:creditCode/insured',
  courts: '/courts/v1/parties/:creditCode/cases',
  administrative: '/administrative/v1/subjects/:creditCode/records',
  creditBureau: '/credit-bureau/v1/borrowers/:creditCode/report',
  honours: '/honours/v1/enterprises/:creditCode/tags',
};

export function sourcePath(source: SourceName, creditCode: string): string {
  return SOURCE_ROUTES[source].replace(':creditCode', encodeURIComponent(creditCode));
}
