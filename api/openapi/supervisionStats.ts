// OpenAPI paths of platform statistics (/v1/statistics) and precise push (/v1/push-lists).
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  createPushListBody,
  csvUploadQuery,
  pushActionBody,
  pushBody,
  pushListCreated,
  pushListParams,
  pushListQuery,
  pushListsQuery,
  pushListView,
  pushResult,
} from '../routes/push';
import { statisticsQuery, statisticsView } from '../routes/statistics';
import { pushActionRecorded, pushInbox, pushLists } from './answers';
import { authResponses, idempotencyHeader, problemResponse } from './common';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

export const statisticsPaths: ZodOpenApiPathsObject = {
  '/v1/statistics': {
    get: {
      summary:
        'Supervisors: platform statistics — requests and amounts requested, claimed, approved, disbursed; claim and lending rates; first loans, credit loans',
      description:
        'Grouped by industry, region, amount / term / rate tier, guarantee method and bank, and over time (Asia/Shanghai days, ISO weeks or months). ' +
        'Requests count by the day they were published. Figures come from pre-aggregated day cells refreshed at most a minute behind when read ' +
        '(`asOf`); `fresh=true` waits for a refresh.',
      tags: ['supervisor'],
      requestParams: { query: statisticsQuery },
      responses: { '200': json(statisticsView, 'The figures'), '400': problemResponse('Invalid query or empty period'), ...authResponses },
    },
  },
};

const tags = ['supervisor', 'precise push'];

export const pushPaths: ZodOpenApiPathsObject = {
  '/v1/push-lists': {
    post: {
      summary: 'Supervisors: a list of policy-supported enterprises (精准推送), by tags or from a CSV of credit codes',
      description:
        'JSON `{name, tags, match}` or `{name, csv}`, or a `text/csv` body (up to 2 MB) with `?name=`. CSV lines: credit code[,name]; a header line is ' +
        'skipped. Unknown credit codes, invalid lines, duplicates and name mismatches are reported back, not fatal.',
      tags,
      requestParams: { header: z.object({ 'Idempotency-Key': idempotencyHeader }), query: csvUploadQuery },
      requestBody: { content: { 'application/json': { schema: createPushListBody }, 'text/csv': { schema: z.string() } } },
      responses: {
        '201': json(pushListCreated, 'Created, with what was left out'),
        '400': problemResponse('Invalid body, CSV or headers'),
        '413': problemResponse('Body or CSV too large'),
        '422': problemResponse('empty-push-list: no enterprise matched (the report is in the problem), or Idempotency-Key reused'),
        ...authResponses,
      },
    },
    get: {
      summary: 'Supervisors: push lists, newest first, with the banks each went to and how many enterprises each acted on',
      tags,
      requestParams: { query: pushListsQuery },
      responses: { '200': json(pushLists, 'Lists'), '400': problemResponse('Invalid query'), ...authResponses },
    },
  },
  '/v1/push-lists/inbox': {
    get: {
      summary: 'Banks: the push lists pushed to your bank, newest first',
      tags,
      responses: { '200': json(pushInbox, 'Lists pushed to the caller’s bank'), ...authResponses },
    },
  },
  '/v1/push-lists/{id}': {
    get: {
      summary: 'A push list with its enterprises and what banks did: supervisors see every bank, a bank it was pushed to sees its own actions',
      tags,
      requestParams: { path: pushListParams, query: pushListQuery },
      responses: { '200': json(pushListView, 'The list'), '404': problemResponse('No such list, or not pushed to your bank'), ...authResponses },
    },
  },
  '/v1/push-lists/{id}/push': {
    post: {
      summary: 'Supervisors: push the list to banks; each newly targeted bank is told through the notification outbox',
      tags,
      requestParams: { path: pushListParams, header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
      requestBody: { content: { 'application/json': { schema: pushBody } } },
      responses: {
        '201': json(pushResult, 'Pushed to at least one new bank'),
        '200': json(pushResult, 'Every bank already had it'),
        '400': problemResponse('Invalid body or headers'),
        '404': problemResponse('No such list'),
        '422': problemResponse('unknown-bank'),
        '503': problemResponse('Recorded, but the prompts could not be handed to Temporal: retry with the same key'),
        ...authResponses,
      },
    },
  },
  '/v1/push-lists/{id}/actions': {
    post: {
      summary: 'Banks: record what you did about one enterprise of a list pushed to you (viewed, contacted, declined, request)',
      tags,
      requestParams: { path: pushListParams, header: z.object({ 'Idempotency-Key': idempotencyHeader }) },
      requestBody: { content: { 'application/json': { schema: pushActionBody } } },
      responses: {
        '200': json(pushActionRecorded, 'Recorded'),
        '400': problemResponse('Invalid body or headers'),
        '404': problemResponse('No such list pushed to your bank'),
        '422': problemResponse('not-in-list'),
        ...authResponses,
      },
    },
  },
};
