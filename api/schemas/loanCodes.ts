// API schemas for loan codes (贷款码): a bank's QR code that opens the public request form.
import { z } from 'zod';
import { region } from './auth';

/** Loan code ids: 16 URL-safe characters (96 random bits), short enough for a small QR code. */
export const loanCodeId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'a loan code id')
  .meta({ example: 'q7Xb2LkP0aZr9TmE' });

export const createLoanCodeBody = z
  .strictObject({
    label: z.string().trim().max(100).optional().meta({ description: 'Where the code is used, for the bank (e.g. "Nanhu branch counter")' }),
    branch: z.string().trim().min(1).max(100).optional().meta({ description: "Branch shown on the form; default the caller's branch" }),
    region: region.optional().meta({ description: "Region of enterprises registered through this code; default the caller's region, else the bank's" }),
  })
  .meta({ id: 'CreateLoanCode' });

export const loanCodeParams = z.strictObject({ id: loanCodeId });

export const loanCodeView = z
  .object({
    id: loanCodeId,
    bankId: z.string(),
    branch: z.string().nullable(),
    region: z.string().nullable(),
    label: z.string(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    url: z.string().meta({ description: 'The public form this code opens (what the QR code encodes)' }),
    qrPngUrl: z.string(),
    qrSvgUrl: z.string(),
  })
  .meta({ id: 'LoanCode' });

export const loanCodeList = z.object({ items: z.array(loanCodeView) }).meta({ id: 'LoanCodeList' });
