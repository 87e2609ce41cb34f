// OpenAPI paths of loan codes (贷款码): the banks' /v1/loan-codes API and the public form pages.
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { createLoanCodeBody, loanCodeList, loanCodeParams, loanCodeView } from '../schemas/loanCodes';
import { authResponses, idempotencyParams, problemResponse } from './common';

const problem = problemResponse;
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });
const tags = ['loan codes'];

const formBody = z
  .object({
    formToken: z.string().meta({ description: 'One-time token from the rendered form; a second submit with it lands on the first submission' }),
    companyName: z.string(),
    creditCode: z.string().meta({ description: 'Unified social credit code (GB 32100-2015)' }),
    contactName: z.string(),
    mobile: z.string().meta({ description: '11-digit mainland mobile or E.164' }),
    amountWan: z.string().meta({ description: 'Amount in 万元 (CNY 10,000), up to 6 decimals; converted to integer fen', example: '300' }),
    termMonths: z.string().meta({ example: '12' }),
    purpose: z.string(),
    dataConsent: z.literal('on').optional().meta({ description: 'Grant the bank access to the credit portrait' }),
  })
  .meta({ id: 'LoanCodeForm' });

export const loanCodePaths: ZodOpenApiPathsObject = {
  '/v1/loan-codes': {
    post: {
      summary: 'A bank creates a loan code (a QR code opening the public request form, the bank preselected)',
      tags,
      requestParams: idempotencyParams,
      requestBody: { content: { 'application/json': { schema: createLoanCodeBody } } },
      responses: {
        '201': { description: 'Created', content: { 'application/json': { schema: loanCodeView } } },
        '400': problem('Invalid body or headers'),
        ...authResponses,
        '403': problem("Not a bank, or a region outside the caller's"),
      },
    },
    get: {
      summary: "The caller bank's loan codes, newest first",
      tags,
      responses: { '200': { description: 'Codes', content: { 'application/json': { schema: loanCodeList } } }, ...authResponses },
    },
  },
  '/v1/loan-codes/{id}/qr.png': {
    get: {
      summary: 'The code as a PNG QR code encoding <base>/l/{id}',
      tags,
      requestParams: { path: loanCodeParams },
      responses: {
        '200': { description: 'PNG', content: { 'image/png': { schema: z.string().meta({ format: 'binary' }) } } },
        '404': problem("No such code of the caller's bank"),
        ...authResponses,
      },
    },
  },
  '/v1/loan-codes/{id}/qr.svg': {
    get: {
      summary: 'The code as an SVG QR code encoding <base>/l/{id}',
      tags,
      requestParams: { path: loanCodeParams },
      responses: {
        '200': { description: 'SVG', content: { 'image/svg+xml': { schema: z.string() } } },
        '404': problem("No such code of the caller's bank"),
        ...authResponses,
      },
    },
  },
  '/v1/loan-codes/{id}/deactivate': {
    post: {
      summary: 'Deactivates the code: its form answers 404 from now on',
      tags,
      requestParams: { path: loanCodeParams, ...idempotencyParams },
      responses: {
        '200': { description: 'Deactivated', content: { 'application/json': { schema: loanCodeView } } },
        '404': problem("No such code of the caller's bank"),
        ...authResponses,
      },
    },
  },
  '/l/{code}': {
    get: {
      summary: 'Public: the phone-sized bilingual request form of a loan code',
      tags,
      security: [],
      requestParams: { path: z.object({ code: z.string() }) },
      responses: { '200': html('The form, with a one-time form token'), '404': html('Unknown or inactive code') },
    },
    post: {
      summary: 'Public: submits the form; registers or matches the enterprise by credit code and publishes a request directed to the bank',
      tags,
      security: [],
      requestParams: { path: z.object({ code: z.string() }) },
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema: formBody } } },
      responses: {
        '303': { description: 'Submitted (or a repeat of the same form token): see the tracking page in Location' },
        '404': html('Unknown or inactive code'),
        '422': html('The form again, with field errors'),
        '429': problem('Too many submissions from this address'),
        '503': html('Could not publish now; submitting the same form again is safe'),
      },
    },
  },
  '/t/{token}': {
    get: {
      summary: "Public: a submission's stage and timeline (the token is the secret; no enterprise data is shown)",
      tags,
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      responses: { '200': html('Stage and timeline'), '404': html('Unknown token') },
    },
  },
};
