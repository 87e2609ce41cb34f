// API schemas for enterprise onboarding and review.
import { z } from 'zod';
import { isValidCreditCode } from '../../domain/creditCode';
import { ENTERPRISE_TAGS, INDUSTRY_CODES, mobileProblem } from '../../domain/enterprise';
import { region } from './auth';
import { MAX_AMOUNT_FEN, uuid } from './financingRequests';

export const creditCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '18 characters of 0–9 and A–Y without I, O, S, V, Z')
  .refine(isValidCreditCode, 'the check character (GB 32100-2015) does not match')
  .meta({ description: 'Unified social credit code (统一社会信用代码), GB 32100-2015', example: '91330400MA2B3C4D56' });

export const mobile = z
  .string()
  .trim()
  .superRefine((m, ctx) => {
    const p = mobileProblem(m);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  })
  .meta({ description: 'E.164 mobile number; +86 numbers must be valid mainland mobiles', example: '+8613912345678' });

export const industry = z.enum(INDUSTRY_CODES).meta({ description: 'GB/T 4754-2017 industry section letter (C = manufacturing)' });

export const registerEnterpriseBody = z
  .strictObject({
    creditCode,
    name: z.string().trim().min(2).max(200),
    contactName: z.string().trim().min(1).max(100),
    contactMobile: mobile,
    email: z.email().max(200).optional(),
    industry,
    region,
    registeredCapitalFen: z.number().int().min(0).max(MAX_AMOUNT_FEN).meta({ description: 'Registered capital in fen' }),
    tags: z.array(z.enum(ENTERPRISE_TAGS)).max(ENTERPRISE_TAGS.length).default([]),
    user: z
      .strictObject({ name: z.string().trim().min(1).max(100), email: z.email().max(200), password: z.string().min(12).max(200).optional() })
      .optional()
      .meta({ description: "The enterprise's first user: a principal with an API key (shown once) and, with a password, web sign-in" }),
  })
  .meta({ id: 'RegisterEnterprise' });

export const reviewEnterpriseBody = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: z.string().trim().min(2).max(500).optional() })
  .superRefine((b, ctx) => {
    if (b.decision === 'reject' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection gives a reason' });
  })
  .meta({ id: 'ReviewEnterprise' });

export const enterpriseIdParams = z.strictObject({ enterpriseId: uuid });

export const enterprisesQuery = z.strictObject({
  status: z.enum(['pending_review', 'active', 'suspended']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const enterpriseView = z
  .object({
    id: uuid,
    creditCode: z.string().optional(),
    name: z.string(),
    contactName: z.string().optional(),
    contactMobile: z.string().optional(),
    email: z.string().nullable().optional(),
    industry: z.string(),
    region: z.string(),
    registeredCapitalFen: z.number().int().optional(),
    status: z.enum(['pending_review', 'active', 'suspended']).optional(),
    tags: z.array(z.string()).optional(),
    source: z.string().optional(),
    createdAt: z.iso.datetime().optional(),
  })
  .meta({
    id: 'Enterprise',
    description: 'A bank that is not the counterparty of a live accepted claim (or the chosen or lending bank) gets id, name, industry and region only',
  });
