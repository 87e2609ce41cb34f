// All activities, built from their dependencies (real in production, real or fake in tests).
import type { NotificationDeps } from '../notifications/deps';
import { createNotificationActivities } from './notifications';
import { createFinancingRequestActivities } from './financingRequests';
import { createLifecycleActivities } from './lifecycle';
import { createCreditActivities, type PortraitCache } from './credit';
import { SqlPortraitCache } from './portraitCache';
import { createPortraitActivities } from './portraits';
import { createProductActivities } from './products';
import { createSupervisionReportActivities } from './supervisionReport';
import { createWebhookReplayActivities } from './webhookReplay';
import { createDataSourceClients, type DataSourceClients } from '../datasources/clients';
import { loadDataSourceConfig } from '../datasources/config';
import type { PrismaClient } from '../generated/prisma/client';

export interface ActivityDeps {
  prisma: PrismaClient;
  notifications: NotificationDeps;
  now?: () => Date;
  /** Credit data sources; absent → clients built from DATASOURCE_* in process.env. Cache defaults to SourceRecord rows. */
  credit?: { sources: DataSourceClients; cache?: PortraitCache };
}

export function createActivities(deps: ActivityDeps) {
  const sources = deps.credit?.sources ?? createDataSourceClients(loadDataSourceConfig(process.env));
  return {
    ...createFinancingRequestActivities(deps),
    ...createLifecycleActivities(deps),
    ...createNotificationActivities(deps.notifications),
    ...createWebhookReplayActivities(deps.notifications),
    ...createCreditActivities({ sources, cache: deps.credit?.cache ?? new SqlPortraitCache(deps.prisma), ...(deps.now ? { now: deps.now } : {}) }),
    ...createPortraitActivities(deps),
    ...createProductActivities({ prisma: deps.prisma, notifications: deps.notifications, ...(deps.now ? { now: deps.now } : {}) }),
    ...createSupervisionReportActivities({ prisma: deps.prisma, notifications: deps.notifications, ...(deps.now ? { now: deps.now } : {}) }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
