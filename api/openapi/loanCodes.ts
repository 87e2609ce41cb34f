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

const codeBody = z
  .object({ challengeId: z.string().meta({ description: 'From the code step' }), code: z.string().meta({ description: 'The 6 digits from the SMS' }) })
  .meta({ id: 'LoanCodeVerify' });

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
      summary:
        'Public: submits the form; matches the enterprise by credit code (or registers it self-declared and unverified) and sends a one-time code to its registered contact mobile; nothing is published yet',
      tags,
      security: [],
      requestParams: { path: z.object({ code: z.string() }) },
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema: formBody } } },
      responses: {
        '200': html('The code step: where the code went (masked), the challenge id, the code field'),
        '303': { description: 'A repeat of an already published form token: see the tracking page in Location' },
        '404': html('Unknown or inactive code'),
        '422': html('The form again, with field errors (a non-mainland mobile is one), or the registered mobile is not a mainland number'),
        '429': html('Too many submissions from this address, or an SMS budget is exhausted (per number, address or loan code)'),
        '503': html('Codes are paused (circuit breaker) or cannot be sent now'),
      },
    },
  },
  '/l/{code}/verify': {
    post: {
      summary: 'Public: checks the one-time code and publishes the pending application to the bank (portrait consent only if the enterprise may grant it)',
      tags,
      security: [],
      requestParams: { path: z.object({ code: z.string() }) },
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema: codeBody } } },
      responses: {
        '303': { description: 'Published (or a repeat): the tracking page in Location, with a 15-minute enterprise session cookie for it' },
        '404': html('Unknown code or challenge'),
        '409': html('The code was used, or the registered mobile changed'),
        '410': html('The code expired'),
        '422': html('Wrong code (attempts left shown), or publishing refused'),
        '429': html('Too many wrong codes: the code is dead'),
      },
    },
  },
  '/t/{token}': {
    get: {
      summary:
        "Public: a submission's stage and timeline (the token is the secret; no enterprise data is shown); with the enterprise's session cookie also its offers, withdraw and rating",
      tags,
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      responses: { '200': html('Stage and timeline'), '404': html('Unknown token') },
    },
  },
  '/t/{token}/code': {
    post: {
      summary: "Public: sends a one-time code to the enterprise's registered mobile, to act on the tracking page",
      tags,
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      responses: {
        '200': html('The code step'),
        '404': html('Unknown token'),
        '422': html('Registered mobile not mainland'),
        '429': html('SMS budget exhausted'),
        '503': html('Codes paused'),
      },
    },
  },
  '/t/{token}/verify': {
    post: {
      summary: 'Public: checks the code; starts a 15-minute enterprise session (HttpOnly, SameSite=Strict cookie on /t/)',
      tags,
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema: codeBody } } },
      responses: {
        '303': { description: 'Verified: back to the tracking page' },
        '404': html('Unknown token or challenge'),
        '410': html('Expired'),
        '422': html('Wrong code'),
        '429': html('Locked'),
      },
    },
  },
  '/t/{token}/choose': {
    post: {
      summary: 'Enterprise session: chooses one approved offer (without a session: back to the page, which asks for a code)',
      tags,
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema: z.object({ actionToken: z.string(), bankId: z.string() }) } } },
      responses: {
        '303': { description: 'Done (or no session): the tracking page' },
        '404': html('Unknown token'),
        '409': html('Not allowed now (already chosen, closed)'),
        '422': html('Invalid form'),
      },
    },
  },
  '/t/{token}/withdraw': {
    post: {
      summary: 'Enterprise session: withdraws the request (before disbursement)',
      tags,
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      requestBody: { content: { 'application/x-www-form-urlencoded': { schema: z.object({ actionToken: z.string() }) } } },
      responses: {
        '303': { description: 'Done (or no session): the tracking page' },
        '404': html('Unknown token'),
        '409': html('Not allowed now'),
        '422': html('Invalid form'),
      },
    },
  },
  '/t/{token}/rate': {
    post: {
      summary: 'Enterprise session: rates the bank (4C, 1–5 each, and a comment) after the loan, or after the request ended without one',
      tags,
      security: [],
      requestParams: { path: z.object({ token: z.string() }) },
      requestBody: {
        content: {
          'application/x-www-form-urlencoded': {
            schema: z.object({
              actionToken: z.string(),
              meetsNeed: z.string(),
              cost: z.string(),
              speed: z.string(),
              communication: z.string(),
              comment: z.string().optional(),
            }),
          },
        },
      },
      responses: {
        '303': { description: 'Rated (or no session): the tracking page' },
        '404': html('Unknown token'),
        '409': html('Rating not open'),
        '422': html('Scores must be 1–5'),
      },
    },
  },
};
