// Which pages each role has, and the navigation the shell shows. The enterprise portal adds its
// pages here (role 'enterprise'); a page reached without its role falls to "no such page".
import type { AnyComponent } from 'preact';
import type { MessageKey } from './i18n';
import type { Role } from './session';
import { Todo } from './pages/Todo';
import { RequestPage } from './pages/Request';
import { PortraitPage } from './pages/Portrait';
import { RankingPage } from './pages/Ranking';
import { LoanCodesPage } from './pages/LoanCodes';
import { SettingsPage } from './pages/Settings';
import { PushInboxPage, PushListPage } from './pages/PushLists';

export interface AppRoute {
  path: string;
  component: AnyComponent<any>;
  roles: readonly Role[];
  /** Shown in the navigation when set. */
  nav?: MessageKey;
}

const INSTITUTIONS: Role[] = ['bank', 'guaranteeInstitution'];

export const ROUTES: AppRoute[] = [
  { path: '/app/', component: Todo, roles: INSTITUTIONS, nav: 'nav.todo' },
  { path: '/app/requests/:id', component: RequestPage, roles: INSTITUTIONS },
  { path: '/app/requests/:id/portrait', component: PortraitPage, roles: ['bank'] },
  { path: '/app/loan-codes', component: LoanCodesPage, roles: ['bank'], nav: 'nav.loanCodes' },
  { path: '/app/ranking', component: RankingPage, roles: ['bank'], nav: 'nav.ranking' },
  { path: '/app/push-lists', component: PushInboxPage, roles: ['bank'], nav: 'nav.pushLists' },
  { path: '/app/push-lists/:id', component: PushListPage, roles: ['bank'] },
  { path: '/app/settings', component: SettingsPage, roles: INSTITUTIONS, nav: 'nav.settings' },
];

export function navFor(role: Role): { path: string; label: MessageKey }[] {
  return ROUTES.filter((r) => r.nav && r.roles.includes(role)).map((r) => ({ path: r.path, label: r.nav! }));
}
