// Every search-attribute write of the workflows goes through here (one place to see what the
// Temporal UI and supervisors' visibility queries can filter on).
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';

export function setVisibility(pairs: SearchAttributeUpdatePair[]): void {
  upsertSearchAttributes(pairs);
}
