// API schemas for banks and guarantee institutions as master data, their users, responsible
// officers and the public directories.
import { z } from 'zod';
import { GUARANTEE_METHODS } from '../../domain/vocabulary';
import { INSTITUTION_KINDS, INSTITUTION_ROLES } from '../../domain/institutions';
import { region } from './auth';
import { creditCode, mobile } from './enterprises';
import { bankId, uuid } from './financingRequests';

const institutionFields = {
  name: z.string().trim().min(2).max(100).meta({ description: 'Chinese name (中文名称)', example: '禾城农商银行' }),
  nameEn: z.string().trim().min(2).max(150).meta({ example: 'Hecheng Rural Commercial Bank' }),
  creditCode: creditCode.meta({ description: 'Unified social credit code (统一社会信用代码, GB 32100-2015)' }),
  kind: z.enum(INSTITUTION_KINDS).meta({ description: 'Head office (总行/总部) or branch (分支机构)' }),
  region: region.meta({ description: 'Where it is registered (GB/T 2260)' }),
  regions: z.array(region).max(50).default([]).meta({ description: 'Administrative divisions it serves; empty = its own region' }),
  email: z.email().max(200).meta({ description: 'Institution contact e-mail: prompts fall back to it' }),
  mobile: mobile.meta({ description: 'Institution contact mobile (E.164)' }),
};

export const createBankBody = z
  .strictObject({
    id: bankId.optional().meta({ description: 'Slug used in the API (directedBankIds…); generated when omitted' }),
    ...institutionFields,
    parentBankId: bankId.optional().meta({ description: 'The head office of a branch' }),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'branch' && !b.parentBankId) ctx.addIssue({ code: 'custom', path: ['parentBankId'], message: 'a branch names its head office' });
    if (b.kind === 'head_office' && b.parentBankId) ctx.addIssue({ code: 'custom', path: ['parentBankId'], message: 'a head office has no parent bank' });
  })
  .meta({ id: 'CreateBank' });

const feeRateBp = z.number().int().min(0).max(1000).meta({ description: 'Annual guarantee fee it charges, basis points of the loan (100 = 1 %)' });

export const createGuarantorBody = z
  .strictObject({
    id: bankId.optional().meta({ description: 'Slug used in the API; generated when omitted' }),
    ...institutionFields,
    parentId: bankId.optional().meta({ description: 'The head institution of a branch' }),
    isFund: z.boolean().default(false).meta({ description: 'A government credit guarantee fund (risk 65:20:15 by default)' }),
    feeRateBp,
    feePolicyNote: z.string().trim().max(500).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.kind === 'branch' && !b.parentId) ctx.addIssue({ code: 'custom', path: ['parentId'], message: 'a branch names its head institution' });
  })
  .meta({ id: 'CreateGuaranteeInstitution' });

const nonEmpty = (b: object, ctx: z.RefinementCtx) => {
  if (Object.keys(b).length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'change at least one field' });
};

export const updateBankBody = z
  .strictObject({
    name: institutionFields.name.optional(),
    nameEn: institutionFields.nameEn.optional(),
    kind: institutionFields.kind.optional(),
    parentBankId: bankId.nullable().optional(),
    region: region.optional(),
    regions: z.array(region).max(50).optional(),
    email: institutionFields.email.optional(),
    mobile: institutionFields.mobile.optional(),
  })
  .superRefine(nonEmpty)
  .meta({ id: 'UpdateBank' });

export const updateGuarantorBody = z
  .strictObject({
    name: institutionFields.name.optional(),
    nameEn: institutionFields.nameEn.optional(),
    kind: institutionFields.kind.optional(),
    parentId: bankId.nullable().optional(),
    region: region.optional(),
    regions: z.array(region).max(50).optional(),
    email: institutionFields.email.optional(),
    mobile: institutionFields.mobile.optional(),
    isFund: z.boolean().optional(),
    feeRateBp: feeRateBp.optional(),
    feePolicyNote: z.string().trim().max(500).nullable().optional(),
  })
  .superRefine(nonEmpty)
  .meta({ id: 'UpdateGuaranteeInstitution' });

export const suspendBody = z
  .strictObject({ reason: z.string().trim().min(2).max(500).meta({ description: 'Why (e.g. the yearly assessment, 年度考核退出)' }) })
  .meta({ id: 'SuspendInstitution' });
export const reactivateBody = z.strictObject({ reason: z.string().trim().min(2).max(500).optional() }).meta({ id: 'ReactivateInstitution' });

const common = {
  name: z.string(),
  nameEn: z.string().nullable(),
  creditCode: z.string().nullable(),
  kind: z.enum(INSTITUTION_KINDS).nullable(),
  region: z.string().nullable(),
  regions: z.array(z.string()),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  active: z.boolean(),
  suspendedAt: z.iso.datetime().nullable(),
  suspendedReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};
export const bankView = z.object({ id: z.string(), ...common, parentBankId: z.string().nullable() }).meta({ id: 'Bank' });
export const guarantorView = z
  .object({
    id: z.string(),
    ...common,
    parentId: z.string().nullable(),
    isFund: z.boolean(),
    feeRateBp: z.number().int().nullable(),
    feePolicyNote: z.string().nullable(),
  })
  .meta({ id: 'GuaranteeInstitution' });
export const bankList = z.object({ items: z.array(bankView) }).meta({ id: 'BankList' });
export const guarantorList = z.object({ items: z.array(guarantorView) }).meta({ id: 'GuaranteeInstitutionList' });

export const bankParams = z.strictObject({ bankId });
export const guarantorParams = z.strictObject({ guaranteeInstitutionId: bankId });
export const bankUserParams = z.strictObject({ bankId, principalId: uuid });
export const guarantorUserParams = z.strictObject({ guaranteeInstitutionId: bankId, principalId: uuid });

export const auditView = z
  .object({
    items: z.array(
      z.object({
        action: z.string(),
        actorId: z.string(),
        reason: z.string().nullable(),
        changes: z.record(z.string(), z.unknown()),
        at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'InstitutionAudit' });

export const createUserBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    email: z.email().max(200).meta({ description: 'Sign-in name for the workbench' }),
    password: z.string().min(12).max(200).meta({ description: 'At least 12 characters' }),
    mobile: mobile.optional().meta({ description: 'Prompts about claims this user is responsible for go here' }),
    institutionRole: z.enum(INSTITUTION_ROLES),
    branch: z.string().trim().min(1).max(100).optional(),
    region: region.optional().meta({ description: 'Bank users only: limit to one region' }),
  })
  .meta({ id: 'CreateInstitutionUser' });

export const updateUserBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    mobile: mobile.nullable().optional(),
    institutionRole: z.enum(INSTITUTION_ROLES).optional(),
    active: z.boolean().optional(),
  })
  .superRefine(nonEmpty)
  .meta({ id: 'UpdateInstitutionUser' });

export const institutionUserView = z
  .object({
    id: uuid,
    name: z.string(),
    email: z.string().nullable(),
    mobile: z.string().nullable(),
    institutionRole: z.enum(INSTITUTION_ROLES).nullable(),
    branch: z.string().nullable(),
    region: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'InstitutionUser' });
export const institutionUserList = z.object({ items: z.array(institutionUserView) }).meta({ id: 'InstitutionUserList' });

export const officerBody = z.strictObject({ principalId: uuid.meta({ description: 'A user of the caller’s bank' }) }).meta({ id: 'AssignOfficer' });
export const officerView = z
  .object({
    financingRequestId: uuid,
    bankId: z.string(),
    principalId: uuid.nullable(),
    name: z.string().nullable(),
    assignedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ResponsibleOfficer' });

export const directoryQuery = z.strictObject({
  region: region.optional().meta({ description: 'Only institutions serving this region (or its city/province)' }),
});

export const directoryBank = z
  .object({
    id: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    kind: z.enum(INSTITUTION_KINDS).nullable(),
    parentBankId: z.string().nullable(),
    region: z.string(),
    regions: z.array(z.string()),
    products: z.array(
      z.object({
        id: uuid,
        name: z.string(),
        minAmountFen: z.number().int(),
        maxAmountFen: z.number().int(),
        minTermMonths: z.number().int(),
        maxTermMonths: z.number().int(),
        minAnnualRateBp: z.number().int(),
        maxAnnualRateBp: z.number().int(),
        guaranteeMethods: z.array(z.enum(GUARANTEE_METHODS)),
      }),
    ),
  })
  .meta({ id: 'DirectoryBank', description: 'Public facts only: no staff or contact data' });
export const directoryGuarantor = z
  .object({
    id: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    regions: z.array(z.string()),
    isFund: z.boolean(),
    feeRateBp: z.number().int().nullable(),
  })
  .meta({ id: 'DirectoryGuaranteeInstitution' });
export const bankDirectory = z.object({ items: z.array(directoryBank) }).meta({ id: 'BankDirectory' });
export const guarantorDirectory = z.object({ items: z.array(directoryGuarantor) }).meta({ id: 'GuaranteeInstitutionDirectory' });
