// API schemas of enterprise identity: SMS sign-in, self-registration, profile edits, and the
// supervisors' identity corrections.
import { z } from 'zod';
import { ENTERPRISE_TAGS } from '../../domain/enterprise';
import { publicMobileProblem } from '../../domain/identity';
import { region } from './auth';
import { creditCode, industry, mobile } from './enterprises';
import { MAX_AMOUNT_FEN, uuid } from './financingRequests';

/** A mobile a public form may send codes to: a valid E.164 number that is a mainland mobile. */
export const mainlandMobile = mobile
  .superRefine((m, ctx) => {
    const p = publicMobileProblem(m);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  })
  .meta({ description: 'Mainland China mobile number in E.164 (+86 and 11 digits starting 13–19)', example: '+8613912345678' });

export const smsCodeBody = z.strictObject({ creditCode }).meta({ id: 'SmsCodeRequest' });

export const codeChallenge = z
  .object({
    challengeId: uuid,
    maskedMobile: z.string().meta({ example: '139****5678', description: 'Where the code went: the registered contact mobile' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'CodeChallenge' });

export const verifyCodeBody = z
  .strictObject({ challengeId: uuid, code: z.string().regex(/^\d{6}$/, 'the 6-digit code from the SMS') })
  .meta({ id: 'VerifyCode' });

export const smsToken = z
  .object({
    token: z.string(),
    tokenType: z.literal('Bearer'),
    expiresAt: z.iso.datetime(),
    principal: z.object({ id: uuid, role: z.literal('enterprise'), name: z.string(), enterpriseId: uuid }),
  })
  .meta({ id: 'SmsToken' });

export const registrationBody = z
  .strictObject({
    creditCode,
    name: z.string().trim().min(2).max(200),
    contactName: z.string().trim().min(1).max(100).meta({ description: 'Legal contact person' }),
    contactMobile: mainlandMobile,
    email: z.email().max(200).optional(),
    industry,
    region,
    registeredCapitalFen: z.number().int().min(0).max(MAX_AMOUNT_FEN).default(0),
  })
  .meta({ id: 'EnterpriseRegistration' });

export const registrationStarted = codeChallenge
  .extend({ enterpriseId: uuid, status: z.enum(['unverified']) })
  .meta({ id: 'RegistrationStarted', description: 'The record exists unverified; the code went to contactMobile' });

export const profileBody = z
  .strictObject({
    contactName: z.string().trim().min(1).max(100).optional(),
    email: z.email().max(200).nullable().optional(),
    industry: industry.optional(),
    region: region.optional(),
    registeredCapitalFen: z.number().int().min(0).max(MAX_AMOUNT_FEN).optional(),
    proposedTags: z
      .array(z.enum(ENTERPRISE_TAGS))
      .max(ENTERPRISE_TAGS.length)
      .optional()
      .meta({ description: 'Policy tags the enterprise claims; they count once a supervisor confirms them' }),
  })
  .refine((b) => Object.keys(b).length > 0, 'change at least one field')
  .meta({ id: 'EnterpriseProfileEdit', description: 'The contact mobile is changed by a supervisor (POST /v1/enterprises/{id}/contact), never here' });

export const confirmTagsBody = z
  .strictObject({ tags: z.array(z.enum(ENTERPRISE_TAGS)).max(ENTERPRISE_TAGS.length), reason: z.string().trim().min(2).max(500).optional() })
  .meta({ id: 'ConfirmTags', description: 'The tags that stand (the proposal is cleared)' });

export const reassignContactBody = z
  .strictObject({
    contactMobile: mobile,
    contactName: z.string().trim().min(1).max(100).optional(),
    name: z.string().trim().min(2).max(200).optional(),
    squatted: z.boolean().default(false).meta({
      description: 'true: the record was taken by someone else; every principal and portrait grant of it is revoked and the real company takes it over',
    }),
    reason: z.string().trim().min(2).max(500),
  })
  .meta({ id: 'ReassignContact' });

export const releaseBody = z.strictObject({ reason: z.string().trim().min(2).max(500) }).meta({ id: 'ReleaseEnterprise' });

export const identityEventsView = z
  .object({
    enterpriseId: uuid,
    items: z.array(z.object({ action: z.string(), actor: z.string(), reason: z.string().nullable(), detail: z.unknown(), at: z.iso.datetime() })),
  })
  .meta({ id: 'EnterpriseIdentityEvents' });
