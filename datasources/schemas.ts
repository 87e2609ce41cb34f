// zod schemas for every source's response. Third-party data is untrusted (OWASP API10: unsafe
// consumption of APIs): shapes, enums, integer money, date formats and list sizes are checked
// before anything reaches the portrait. Each schema is tied to its domain type by `satisfies`,
// so a change on one side that the other does not follow fails to compile.
import { z } from 'zod';
import type { SourceRecordMap } from '../domain/credit/records';
import type { SourceName } from '../domain/credit/sources';

const MAX_LIST = 500;
const text = z.string().max(200);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const month = z.string().regex(/^\d{4}-\d{2}$/);
const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const count = z.number().int().nonnegative().max(10_000_000);
const creditCode = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_LIST);
const monthlyAmounts = z.array(z.object({ month, amountFen: fen })).max(120);
const monthlyQuantities = z.array(z.object({ month, quantity: z.number().nonnegative().max(1e12) })).max(120);

export const marketRegulationSchema = z.object({
  creditCode,
  name: text,
  legalRepresentative: text,
  legalRepresentativeChanges24m: count,
  registeredCapitalFen: fen,
  industry: z.string().regex(/^[A-T]$/),
  region: z.string().regex(/^\d{6}$/),
  status: z.enum(['active', 'abnormal', 'revoked', 'deregistered']),
  foundedOn: date,
  shareholders: list(
    z.object({ name: text, kind: z.enum(['person', 'enterprise']), creditCode: creditCode.optional(), shareBp: z.number().int().min(0).max(10_000) }),
  ),
  affiliates: list(z.object({ creditCode, name: text, relation: z.enum(['investee', 'sharedLegalRepresentative']) })),
}) satisfies z.ZodType<SourceRecordMap['marketRegulation']>;

export const taxSchema = z.object({
  creditCode,
  taxCreditGrade: z.enum(['A', 'B', 'C', 'D', 'M']),
  monthlyTaxesPaid: monthlyAmounts,
  arrearsFen: fen,
}) satisfies z.ZodType<SourceRecordMap['tax']>;

export const utilitiesSchema = z.object({
  creditCode,
  electricityKwh: monthlyQuantities,
  waterM3: monthlyQuantities,
  arrearsFen: fen,
}) satisfies z.ZodType<SourceRecordMap['utilities']>;

export const socialSecuritySchema = z.object({
  creditCode,
  insuredEmployees: monthlyQuantities,
  arrearsFen: fen,
}) satisfies z.ZodType<SourceRecordMap['socialSecurity']>;

export const courtsSchema = z.object({
  creditCode,
  lawsuits: list(
    z.object({ caseNumber: text, filedOn: date, role: z.enum(['plaintiff', 'defendant']), cause: text, amountFen: fen, status: z.enum(['pending', 'closed']) }),
  ),
  enforcements: list(z.object({ caseNumber: text, filedOn: date, amountFen: fen, status: z.enum(['ongoing', 'concluded']) })),
  dishonestDebtor: list(z.object({ caseNumber: text, listedOn: date, delistedOn: date.optional() })),
}) satisfies z.ZodType<SourceRecordMap['courts']>;

const listEntry = z.object({ list: text, listedOn: date, removedOn: date.optional() });
export const administrativeSchema = z.object({
  creditCode,
  licences: list(z.object({ name: text, issuedOn: date, expiresOn: date.optional() })),
  penalties: list(z.object({ decisionNumber: text, decidedOn: date, authority: text, reason: text, amountFen: fen })),
  redList: list(listEntry),
  blackList: list(listEntry),
}) satisfies z.ZodType<SourceRecordMap['administrative']>;

export const creditBureauSchema = z.object({
  creditCode,
  loans: list(
    z.object({
      lender: text,
      principalFen: fen,
      outstandingFen: fen,
      openedOn: date,
      maturesOn: date,
      guaranteeMethod: z.enum(['credit', 'guarantee', 'mortgage', 'combination', 'pledge', 'other']),
    }),
  ),
  overdueHistory: list(z.object({ month, daysPastDue: z.number().int().min(1).max(10_000), amountFen: fen })),
  mortgages: list(z.object({ asset: text, appraisedFen: fen, securedFen: fen, registeredOn: date })),
  guaranteesGivenFen: fen,
}) satisfies z.ZodType<SourceRecordMap['creditBureau']>;

export const honoursSchema = z.object({
  creditCode,
  tags: list(
    z.object({
      code: z.enum(['HIGH_TECH', 'SPECIALISED_INNOVATIVE', 'LITTLE_GIANT', 'TECH_SME', 'TAX_GRADE_A']),
      name: text,
      grantedOn: date,
      expiresOn: date.optional(),
    }),
  ),
}) satisfies z.ZodType<SourceRecordMap['honours']>;

export const SOURCE_SCHEMAS: { [S in SourceName]: z.ZodType<SourceRecordMap[S]> } = {
  marketRegulation: marketRegulationSchema,
  tax: taxSchema,
  utilities: utilitiesSchema,
  socialSecurity: socialSecuritySchema,
  courts: courtsSchema,
  administrative: administrativeSchema,
  creditBureau: creditBureauSchema,
  honours: honoursSchema,
};
