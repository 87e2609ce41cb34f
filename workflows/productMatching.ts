// Smart matching for a bank (智能匹配): started by the API when a product is published or made
// active (workflow id productMatchingWorkflowId), it mines the open needs the product fits, page by
// page, writes them as ProductMatch rows, and tells the bank once if anything new turned up.
// Imports only '@temporalio/workflow' and types.
import { proxyActivities } from '@temporalio/workflow';
import type { ProductActivities } from '../activities/products';
import { Deliveries } from './notify';

const db = proxyActivities<ProductActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface ProductMatchingInput {
  productId: string;
  /** The product version this run matches (updatedAt in ms): one run per published change. */
  runKey: string;
}

export interface ProductMatchingResult {
  /** Open needs the product fits, and how many of them were not matched before. */
  matched: number;
  newMatches: number;
  notificationIds: string[];
}

/** One run per product version: a retried POST/PATCH finds it already started. */
export function productMatchingWorkflowId(productId: string, updatedAt: Date): string {
  return `product-matching-${productId}-${updatedAt.getTime()}`;
}

export async function productMatchingWorkflow(input: ProductMatchingInput): Promise<ProductMatchingResult> {
  let matched = 0;
  let newMatches = 0;
  let after: string | undefined;
  do {
    const page = await db.matchProductPage({ productId: input.productId, ...(after ? { afterRequestId: after } : {}) });
    matched += page.matched;
    newMatches += page.inserted;
    after = page.nextAfterRequestId;
  } while (after);
  // A rule change that finds only needs matched before is not news for the bank.
  if (newMatches === 0) return { matched, newMatches, notificationIds: [] };
  const { notificationIds } = await db.notifyProductMatches({ productId: input.productId, runKey: input.runKey });
  const deliveries = new Deliveries();
  deliveries.start(notificationIds);
  await deliveries.drain();
  return { matched, newMatches, notificationIds };
}
