// The public credit supermarket's query and view: the catalogue filters without `status` (only active
// products of active banks are public), and each product without institution-internal fields
// (minimum credit score, registered-capital bounds, status, popularity figures, timestamps).
import { z } from 'zod';
import { productsQuery } from './products';

export const publicProductsQuery = productsQuery.omit({ status: true });

export const publicProductView = z
  .object({
    id: z.uuid(),
    bankId: z.string(),
    bankName: z.string(),
    name: z.string(),
    description: z.string(),
    minAmountFen: z.number().int(),
    maxAmountFen: z.number().int(),
    minTermMonths: z.number().int(),
    maxTermMonths: z.number().int(),
    minAnnualRateBp: z.number().int(),
    maxAnnualRateBp: z.number().int(),
    guaranteeMethods: z.array(z.string()),
    industries: z.array(z.string()).meta({ description: 'GB/T 4754 sections it lends to; empty: any' }),
    regions: z.array(z.string()).meta({ description: 'Administrative divisions it lends in; empty: any' }),
    firstLoanOnly: z.boolean(),
    requiredTags: z.array(z.string()),
    policyProduct: z.boolean(),
    apply: z
      .object({ signIn: z.string(), endpoint: z.string() })
      .meta({ description: 'How to apply: sign in (SMS code to the registered mobile, or a password), then POST the endpoint' }),
  })
  .meta({ id: 'PublicProduct' });

export const publicProductList = z
  .object({
    items: z.array(publicProductView),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
    nextOffset: z.number().int().nullable(),
  })
  .meta({ id: 'PublicProductList' });
