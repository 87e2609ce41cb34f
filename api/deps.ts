// What the API needs, passed in so tests can build an app on real or fake parts.
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../config/logger';

export interface ApiDeps {
  prisma: PrismaClient;
  temporal: Client;
  namespace: string;
  taskQueue: string;
  temporalUiUrl: string;
  log: Logger;
  /** Checks the database answers (SELECT 1). */
  pingDatabase(): Promise<void>;
}
