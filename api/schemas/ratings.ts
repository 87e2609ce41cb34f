// Schemas of the ratings read API.
import { z } from 'zod';
import { bankId } from './financingRequests';

export const ratingsQuery = z.strictObject({
  bankId: bankId.optional().meta({ description: "Supervisors: one bank's ratings (banks always get their own)" }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ratingsView = z
  .object({
    items: z.array(
      z.object({
        financingRequestId: z.uuid(),
        bankId: z.string(),
        meetsNeed: z.number().int(),
        cost: z.number().int(),
        speed: z.number().int(),
        communication: z.number().int(),
        comment: z.string().nullable(),
        withLoan: z.boolean().meta({ description: 'false: the request ended without a loan (expired, unmatched, declined)' }),
        closeReason: z.string().nullable(),
        createdAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'Ratings' });
