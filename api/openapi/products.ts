// OpenAPI paths of the credit supermarket: /v1/products (publish, search, read, change, apply) and
// /v1/product-matches. Problems reference the Problem schema api/openapi.ts registers.
import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import {
  applyBody,
  createProductBody,
  matchesQuery,
  productApplied,
  productMatchesView,
  productPage,
  productParams,
  productsQuery,
  productView,
  ruleCheckView,
  updateProductBody,
} from '../schemas/products';
import { problemFields } from './common';

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const idempotencyHeader = z.object({
  'Idempotency-Key': z.string().min(8).max(128).meta({ description: 'Unique per intended change; a retry with the same key changes nothing twice' }),
});
const json = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });
const tags = ['credit supermarket'];

const notFit = z
  .object({ ...problemFields, detail: z.string(), failedRules: z.array(ruleCheckView), metRules: z.array(ruleCheckView) })
  .meta({ id: 'ProductNotFit', description: 'Problem details listing the product rules the enterprise or its need fails' });

export const productPaths: ZodOpenApiPathsObject = {
  '/v1/products': {
    post: {
      summary: "A bank publishes a product in the credit supermarket (active products start smart matching for the bank's inbox)",
      tags,
      requestParams: { header: idempotencyHeader },
      requestBody: { content: { 'application/json': { schema: createProductBody } } },
      responses: {
        '201': json('Published', productView),
        '400': problemResponse('Invalid body or headers (a lower bound above its upper bound, unknown field…)'),
        '403': problemResponse("Not a bank, or another bank's id in the body"),
        '422': problemResponse('Idempotency-Key reused for another body'),
      },
    },
    get: {
      summary: 'Search the credit supermarket: institution, amount, term, rate (DOMAIN.md tiers), guarantee method; popular products first',
      description: 'Non-owners see active products only. Popularity = applications + 3 × successful loans. Pagination by limit/offset.',
      tags,
      requestParams: { query: productsQuery },
      responses: { '200': json('One page of products', productPage), '400': problemResponse('Invalid query') },
    },
  },
  '/v1/products/{id}': {
    get: {
      summary: 'A product with its popularity',
      tags,
      requestParams: { path: productParams },
      responses: { '200': json('The product', productView), '404': problemResponse('No such product you may see') },
    },
    patch: {
      summary: 'The owning bank changes a product: status (active/suspended/retired), ranges, rules',
      description: 'Making it active, or changing a rule while active, starts a new smart-matching run.',
      tags,
      requestParams: { path: productParams },
      requestBody: { content: { 'application/json': { schema: updateProductBody } } },
      responses: {
        '200': json('Changed', productView),
        '400': problemResponse('Invalid body'),
        '403': problemResponse('Not a bank'),
        '404': problemResponse("No such product of the caller's bank"),
        '409': problemResponse('Retired, or changed concurrently'),
        '422': problemResponse('A lower bound would exceed its upper bound'),
      },
    },
  },
  '/v1/products/{id}/apply': {
    post: {
      summary: "An enterprise applies for a product: a financing request directed to the product's bank (claim origin product)",
      tags,
      requestParams: { path: productParams, header: idempotencyHeader },
      requestBody: { content: { 'application/json': { schema: applyBody } } },
      responses: {
        '201': json('Applied; the request workflow runs', productApplied),
        '200': json('Replay of an earlier application with the same Idempotency-Key', productApplied),
        '400': problemResponse('Invalid body or headers'),
        '403': problemResponse('Not an enterprise, or the enterprise is not active'),
        '404': problemResponse('No such product'),
        '409': problemResponse('The product is not active'),
        '422': {
          description: 'product-not-fit: the failed rules with reasons; or Idempotency-Key reused',
          content: { 'application/problem+json': { schema: notFit } },
        },
      },
    },
  },
  '/v1/product-matches': {
    get: {
      summary: "The enterprise's eligible active products, ranked by fit and popularity, with the reasons each fits",
      description:
        'The need (amount, term, guarantee method) comes from the query, else from its latest open request; without either, only the enterprise rules count.',
      tags,
      requestParams: { query: matchesQuery },
      responses: { '200': json('Ranked products', productMatchesView), '400': problemResponse('Invalid query'), '403': problemResponse('Not an enterprise') },
    },
  },
};
