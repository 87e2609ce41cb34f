// API schemas for credit portraits, grants and the read audit: they validate requests and
// generate the OpenAPI document.
import { z } from 'zod';
import { PORTRAIT_SECTIONS } from '../../domain/credit/portrait';
import { bankId, uuid } from './financingRequests';

export const portraitSection = z.enum(PORTRAIT_SECTIONS).meta({ id: 'PortraitSection' });

export const enterpriseParams = z.strictObject({ enterpriseId: uuid });
export const grantParams = z.strictObject({ enterpriseId: uuid, grantId: uuid });

/** The reading bank is the caller's own; bankId may repeat it (older clients), never name another. */
export const portraitQuery = z
  .strictObject({
    bankId: bankId.optional().meta({ description: "The caller's own bank (optional; another bank is refused)" }),
    sections: z
      .string()
      .regex(/^[A-Za-z]+(,[A-Za-z]+)*$/, 'a comma-separated list of section names')
      .optional()
      .meta({ description: `Comma-separated sections to read (${PORTRAIT_SECTIONS.join(', ')}); default: all the grant covers` }),
    refresh: z.enum(['true', 'false']).optional().meta({ description: 'true: fetch every source afresh instead of a recent stored portrait' }),
  })
  .meta({ id: 'PortraitQuery' });

/** The sections list after splitting the query string. */
export const requestedSections = z.array(portraitSection);

export const grantBody = z
  .strictObject({
    bankId: bankId.meta({ description: 'The bank authorised to read' }),
    sections: z
      .array(portraitSection)
      .min(1)
      .refine((a) => new Set(a).size === a.length, 'sections must be distinct'),
    expiresAt: z.iso.datetime({ offset: true }).meta({ description: 'The grant is void from this instant on (must be in the future)' }),
  })
  .meta({ id: 'PortraitGrantInput' });
export type GrantBody = z.output<typeof grantBody>;

export const revokeBody = z.strictObject({ reason: z.string().trim().min(2).max(500).optional() }).meta({ id: 'RevokePortraitGrant' });

export const auditQuery = z.strictObject({
  bankId: bankId.optional().meta({ description: 'Only reads by this bank' }),
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .optional()
    .meta({ description: 'At most this many rows, newest first (default 100, max 1000)' }),
});

export const grantView = z
  .object({
    id: uuid,
    enterpriseId: uuid,
    bankId: z.string(),
    sections: z.array(z.string()),
    expiresAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().nullable(),
    financingRequestId: uuid.nullable().meta({ description: 'The request whose data consent created the grant; null for direct grants' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PortraitGrant' });
export type GrantView = z.output<typeof grantView>;

export const portraitReadView = z
  .object({
    id: z.string(),
    bankId: z.string(),
    grantId: uuid.nullable(),
    sectionsRequested: z.array(z.string()),
    sectionsReturned: z.array(z.string()),
    allowed: z.boolean(),
    reason: z.string(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'PortraitRead' });

export const portraitReadsView = z.object({ enterpriseId: uuid, items: z.array(portraitReadView) }).meta({ id: 'PortraitReads' });

export const portraitView = z
  .object({
    enterpriseId: uuid,
    portraitId: uuid,
    creditCode: z.string(),
    asOf: z.iso.datetime(),
    portraitVersion: z.string(),
    partial: z.boolean(),
    completeness: z.number(),
    missing: z.array(z.string()),
    stale: z.array(z.string()),
    sources: z.record(z.string(), z.looseObject({ status: z.enum(['fresh', 'stale', 'missing']) })),
    sections: z.record(z.string(), z.unknown()).meta({ description: 'Only the sections the grant covers' }),
    score: z
      .looseObject({ score: z.number().int(), grade: z.string(), probabilityOfDefault: z.number() })
      .optional()
      .meta({ description: 'Present with the creditScore section' }),
    access: z.object({
      grantId: uuid,
      reason: z.enum(['granted', 'narrowed']),
      sections: z.array(portraitSection),
      denied: z.array(z.string()).meta({ description: 'Requested sections the grant does not cover (withheld)' }),
    }),
  })
  .meta({ id: 'CreditPortrait' });
