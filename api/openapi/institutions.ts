// OpenAPI paths of banks and guarantee institutions as master data, their users, responsible
// officers and the directories (api/routes/institutions.ts, institutionGuards.ts, directory.ts).
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { financingRequestParams } from '../schemas/financingRequests';
import * as sc from '../schemas/institutions';
import { authResponses, idempotencyParams, problemResponse as problem } from './common';

const json = <T>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

function pathsFor(o: {
  segment: string;
  param: string;
  label: string;
  tag: string;
  create: typeof sc.createBankBody | typeof sc.createGuarantorBody;
  update: typeof sc.updateBankBody | typeof sc.updateGuarantorBody;
  view: typeof sc.bankView | typeof sc.guarantorView;
  list: typeof sc.bankList | typeof sc.guarantorList;
  params: typeof sc.bankParams | typeof sc.guarantorParams;
  userParams: typeof sc.bankUserParams | typeof sc.guarantorUserParams;
}): ZodOpenApiPathsObject {
  const base = `/v1/${o.segment}`;
  const one = `${base}/{${o.param}}`;
  const tags = [o.tag];
  const path = { path: o.params };
  return {
    [base]: {
      post: {
        summary: `Register a ${o.label} (admins and supervisors); audited`,
        tags,
        requestParams: idempotencyParams,
        requestBody: { content: { 'application/json': { schema: o.create } } },
        responses: {
          '201': json('Registered', o.view),
          '400': problem('Invalid body or headers'),
          ...authResponses,
          '409': problem('Id or unified social credit code taken'),
          '422': problem('Unknown parent institution, or Idempotency-Key reused for another body'),
        },
      },
      get: {
        summary: `Every ${o.label} with contacts and suspension (admins and supervisors)`,
        tags,
        responses: { '200': json('All', o.list), ...authResponses },
      },
    },
    [one]: {
      get: {
        summary: `One ${o.label} (admins, supervisors, its own users)`,
        tags,
        requestParams: path,
        responses: { '200': json('The institution', o.view), ...authResponses, '404': problem(`No such ${o.label} you may see`) },
      },
      patch: {
        summary: `Update a ${o.label}'s master data (admins and supervisors); the changed fields are audited`,
        tags,
        requestParams: path,
        requestBody: { content: { 'application/json': { schema: o.update } } },
        responses: {
          '200': json('Updated', o.view),
          '400': problem('Invalid body'),
          ...authResponses,
          '404': problem(`No such ${o.label}`),
          '422': problem('Unknown parent'),
        },
      },
    },
    [`${one}/suspend`]: {
      post: {
        summary: `Suspend a ${o.label} (exit, 退出): no new directed offers, pool eligibility, grabs or guarantees from now on; live claims continue`,
        tags,
        requestParams: { ...path, ...idempotencyParams },
        requestBody: { content: { 'application/json': { schema: sc.suspendBody } } },
        responses: {
          '200': json('Suspended', o.view),
          '400': problem('Invalid body or headers'),
          ...authResponses,
          '404': problem(`No such ${o.label}`),
          '409': problem('Suspended already'),
        },
      },
    },
    [`${one}/reactivate`]: {
      post: {
        summary: `Re-activate a suspended ${o.label}`,
        tags,
        requestParams: { ...path, ...idempotencyParams },
        requestBody: { content: { 'application/json': { schema: sc.reactivateBody } } },
        responses: {
          '200': json('Active again', o.view),
          '400': problem('Invalid body or headers'),
          ...authResponses,
          '404': problem(`No such ${o.label}`),
          '409': problem('Not suspended'),
        },
      },
    },
    [`${one}/audit`]: {
      get: {
        summary: `Every change to the ${o.label}, newest first (admins and supervisors)`,
        tags,
        requestParams: path,
        responses: { '200': json('Audit trail', sc.auditView), ...authResponses, '404': problem(`No such ${o.label}`) },
      },
    },
    [`${one}/users`]: {
      get: {
        summary: `The ${o.label}'s users (platform admins, the institution's admins)`,
        tags,
        requestParams: path,
        responses: { '200': json('Users', sc.institutionUserList), ...authResponses, '404': problem(`No such ${o.label}`) },
      },
      post: {
        summary: `Create a user of the ${o.label}: officer, approver or institution admin (platform admins, the institution's admins)`,
        tags,
        requestParams: { ...path, ...idempotencyParams },
        requestBody: { content: { 'application/json': { schema: sc.createUserBody } } },
        responses: {
          '201': json('Created; signs in with e-mail and password', sc.institutionUserView),
          '400': problem('Invalid body or headers'),
          ...authResponses,
          '404': problem(`No such ${o.label}`),
          '409': problem('E-mail taken'),
          '422': problem('Region given for a non-bank user'),
        },
      },
    },
    [`${one}/users/{principalId}`]: {
      patch: {
        summary: "Change a user's role, mobile, name or deactivate it (platform admins, the institution's admins)",
        tags,
        requestParams: { path: o.userParams },
        requestBody: { content: { 'application/json': { schema: sc.updateUserBody } } },
        responses: {
          '200': json('Updated', sc.institutionUserView),
          '400': problem('Invalid body'),
          ...authResponses,
          '404': problem('No such user of this institution'),
          '409': problem('An admin cannot deactivate or demote itself'),
        },
      },
    },
  };
}

export const institutionPaths: ZodOpenApiPathsObject = {
  ...pathsFor({
    segment: 'banks',
    param: 'bankId',
    label: 'bank',
    tag: 'institutions',
    create: sc.createBankBody,
    update: sc.updateBankBody,
    view: sc.bankView,
    list: sc.bankList,
    params: sc.bankParams,
    userParams: sc.bankUserParams,
  }),
  ...pathsFor({
    segment: 'guarantee-institutions',
    param: 'guaranteeInstitutionId',
    label: 'guarantee institution',
    tag: 'institutions',
    create: sc.createGuarantorBody,
    update: sc.updateGuarantorBody,
    view: sc.guarantorView,
    list: sc.guarantorList,
    params: sc.guarantorParams,
    userParams: sc.guarantorUserParams,
  }),
  '/v1/financing-requests/{id}/responsible-officer': {
    get: {
      summary: "The bank user responsible for the caller bank's claim (prompts about it go to this user, else the bank's contact)",
      tags: ['bank'],
      requestParams: { path: financingRequestParams },
      responses: {
        '200': json('Officer (null when none is recorded)', sc.officerView),
        ...authResponses,
        '404': problem('Your bank holds no claim on this request'),
      },
    },
    put: {
      summary: 'The bank’s institution admin reassigns the claim to another of its users',
      tags: ['bank'],
      requestParams: { path: financingRequestParams },
      requestBody: { content: { 'application/json': { schema: sc.officerBody } } },
      responses: {
        '200': json('Reassigned', sc.officerView),
        '400': problem('Invalid body'),
        ...authResponses,
        '404': problem('Your bank holds no claim on this request'),
        '422': problem('Not an active user of your bank'),
      },
    },
  },
  '/v1/directory/banks': {
    get: {
      summary: 'Active banks with the regions they serve and their active products, for choosing directed banks; no staff or contact data',
      tags: ['institutions'],
      requestParams: { query: sc.directoryQuery },
      responses: { '200': json('Banks', sc.bankDirectory), '400': problem('Invalid region'), ...authResponses },
    },
  },
  '/v1/directory/guarantee-institutions': {
    get: {
      summary: 'Active guarantee institutions (fund or not, fee), for picking a guarantor in an offer; no staff or contact data',
      tags: ['institutions'],
      requestParams: { query: sc.directoryQuery },
      responses: { '200': json('Guarantee institutions', sc.guarantorDirectory), '400': problem('Invalid region'), ...authResponses },
    },
  },
};
