// API schemas for sign-in, principals and API keys.
import { z } from 'zod';
import { ROLES } from '../auth/principal';
import { bankId, uuid } from './financingRequests';

export const region = z.string().regex(/^\d{6}$/, 'a 6-digit administrative division code (GB/T 2260)');

export const tokenBody = z
  .union([z.strictObject({ apiKey: z.string().min(10).max(200) }), z.strictObject({ email: z.email().max(200), password: z.string().min(1).max(200) })])
  .meta({ id: 'SignIn', description: 'Exchange an API key, or e-mail and password, for a short-lived token (JWT) for the web pages' });

export const tokenView = z
  .object({
    token: z.string(),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    principal: z.object({ id: uuid, role: z.enum(ROLES), name: z.string() }),
  })
  .meta({ id: 'Token' });

export const principalView = z
  .object({
    id: uuid,
    role: z.enum(ROLES),
    name: z.string(),
    email: z.string().nullable(),
    enterpriseId: uuid.nullable(),
    bankId: z.string().nullable(),
    branch: z.string().nullable(),
    region: z.string().nullable(),
    guaranteeInstitutionId: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Principal' });

export const createPrincipalBody = z
  .strictObject({
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(100),
    email: z.email().max(200).optional(),
    password: z.string().min(12).max(200).optional().meta({ description: 'For web sign-in; at least 12 characters' }),
    enterpriseId: uuid.optional(),
    bankId: bankId.optional(),
    branch: z.string().trim().min(1).max(100).optional(),
    region: region.optional(),
    guaranteeInstitutionId: bankId.optional(),
  })
  .superRefine((b, ctx) => {
    const org = { enterprise: 'enterpriseId', bank: 'bankId', guaranteeInstitution: 'guaranteeInstitutionId' } as const;
    for (const [role, field] of Object.entries(org)) {
      if (b.role === role && !b[field]) ctx.addIssue({ code: 'custom', path: [field], message: `a ${role} principal belongs to one ${role}` });
      if (b.role !== role && b[field]) ctx.addIssue({ code: 'custom', path: [field], message: `only ${role} principals have ${field}` });
    }
    if ((b.branch || b.region) && b.role !== 'bank')
      ctx.addIssue({ code: 'custom', path: ['branch'], message: 'only bank principals have a branch or region' });
    if (b.password && !b.email) ctx.addIssue({ code: 'custom', path: ['email'], message: 'a password needs an e-mail to sign in with' });
  })
  .meta({ id: 'CreatePrincipal' });

export const apiKeyView = z
  .object({
    id: z.string(),
    name: z.string(),
    principalId: uuid,
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });
export const apiKeyCreated = z
  .object({
    id: z.string(),
    name: z.string(),
    principalId: uuid,
    createdAt: z.iso.datetime(),
    key: z.string().meta({ description: 'Shown once: store it now' }),
  })
  .meta({ id: 'ApiKeyCreated' });
export const createApiKeyBody = z
  .strictObject({ name: z.string().trim().min(1).max(100), principalId: uuid.optional().meta({ description: 'Admins only: a key for another principal' }) })
  .meta({ id: 'CreateApiKey' });
export const apiKeyParams = z.strictObject({ id: z.string().regex(/^[a-z0-9]{12}$/) });
export const apiKeysQuery = z.strictObject({ principalId: uuid.optional() });
export const principalParams = z.strictObject({ principalId: uuid });
export const deactivateBody = z.strictObject({}).meta({ id: 'DeactivatePrincipal' });
export const passwordBody = z
  .strictObject({ password: z.string().min(12).max(200).meta({ description: 'At least 12 characters' }) })
  .meta({ id: 'SetPassword' });
