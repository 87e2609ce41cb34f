// All activities, built from their dependencies (real in production, real or fake in tests).
import type { NotificationDeps } from './notifications';
import { createNotificationActivities } from './notifications';
import { createFinancingRequestActivities } from './financingRequests';
import { createLifecycleActivities } from './lifecycle';
import type { PrismaClient } from '../generated/prisma/client';

export interface ActivityDeps {
  prisma: PrismaClient;
  notifications: NotificationDeps;
  now?: () => Date;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createFinancingRequestActivities(deps),
    ...createLifecycleActivities(deps),
    ...createNotificationActivities(deps.notifications),
  };
}

export type Activities = ReturnType<typeof createActivities>;
