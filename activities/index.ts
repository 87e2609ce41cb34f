// All activities, built from their dependencies (real in production, real or fake in tests).
import { createFinancingRequestActivities, type FinancingRequestActivityDeps } from './financingRequests';

export type ActivityDeps = FinancingRequestActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createFinancingRequestActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
