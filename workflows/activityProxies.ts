// The lifecycle's database activities, with one retry policy: database writes are idempotent, so
// they retry until the database answers again (an outage delays the lifecycle, loses nothing).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export const db = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
