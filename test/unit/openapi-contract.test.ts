// The OpenAPI document's promises, checked without a stack: the app's own middleware answers (405
// with Allow, problem pages in zh and en, 404 problems) match it, every problem code the code base
// throws has a page, and the response validator the integration and reliability suites run on every
// call (test/support/openapiContract.ts) refuses what the document does not describe.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { methodNotAllowed } from '../../api/methods';
import { openApiDocument } from '../../api/openapi';
import { errorHandler, notFoundHandler } from '../../api/problem';
import { PROBLEMS } from '../../api/problems/catalogue';
import { problemPagesRouter } from '../../api/problems/page';
import { contractViolations } from '../support/openapiContract';

const doc = openApiDocument() as any;
let base: string;
let close: () => void;

beforeAll(async () => {
  // The middleware of api/app.ts that answers without dependencies, in the same order.
  const app = express();
  app.use(methodNotAllowed(doc));
  app.use(problemPagesRouter());
  app.use(notFoundHandler);
  app.use(errorHandler({ error: () => undefined }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

async function call(method: string, url: string, headers: Record<string, string> = {}) {
  const res = await fetch(base + url, { method, headers });
  const body = await res.text();
  return { res, body, violations: contractViolations({ method, url, status: res.status, headers: res.headers, body }) };
}

describe('the middleware answers as documented', () => {
  it('a method a path does not list: 405 problem+json with Allow', async () => {
    const a = await call('DELETE', '/v1/products');
    expect(a.res.status).toBe(405);
    expect(a.res.headers.get('allow')).toBe('POST, GET, HEAD');
    expect(JSON.parse(a.body)).toMatchObject({ status: 405, instance: '/v1/products' });
    expect(JSON.parse(a.body).type).toBe(`${base}/problems/method-not-allowed`);
    expect(a.violations).toEqual([]);
    expect((await call('PUT', '/v1/financing-requests/00000000-0000-4000-8000-000000000001/grab')).res.headers.get('allow')).toBe('POST');
  });

  it("a problem's type URI leads to its page, in Chinese by default and in English on request", async () => {
    const zh = await call('GET', '/problems/slots-full');
    expect(zh.res.status).toBe(200);
    expect(zh.body).toContain('抢单名额已满');
    expect(zh.body).toContain('href="?lang=en"');
    expect(zh.violations).toEqual([]);
    expect((await call('GET', '/problems/slots-full?lang=en')).body).toContain('All grab slots are taken');
    expect((await call('GET', '/problems/slots-full', { 'accept-language': 'en-GB,en;q=0.9' })).body).toContain('All grab slots are taken');
    const unknown = await call('GET', '/problems/no-such-problem');
    expect(unknown.res.status).toBe(404);
    expect(unknown.violations).toEqual([]);
    expect((await call('GET', '/problems/constructor')).res.status).toBe(404);
  });
});

describe('the problem catalogue', () => {
  it('has a zh and en page for every problem code the code base throws', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => {
        const p = path.join(dir, f);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
      });
    const root = path.join(__dirname, '../..');
    const codes = new Set<string>();
    for (const f of ['api', 'observability', 'notifications', 'datasources'].flatMap((d) => files(path.join(root, d)))) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/HttpProblem\(\s*(?:\d+|[\w.]+),\s*'([a-z0-9-]+)'/g)) codes.add(m[1]!);
      for (const m of src.matchAll(/\bcode: '([a-z0-9-]+)'/g)) if (f.endsWith('temporalErrors.ts')) codes.add(m[1]!);
    }
    codes.add('database-unavailable').add('temporal-unavailable'); // `${down}-unavailable`, api/problem.ts
    expect(codes.size).toBeGreaterThan(40);
    expect([...codes].filter((c) => !PROBLEMS[c])).toEqual([]);
  });
});

describe('the response validator', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  const pj = { 'content-type': 'application/problem+json; charset=utf-8' };
  const problem = (status: number, extra = {}) => JSON.stringify({ type: 'http://x/problems/p', title: 't', status, instance: '/v1/me', ...extra });

  it('accepts what the document describes', () => {
    expect(contractViolations({ method: 'GET', url: '/v1/me', status: 401, headers: h({ ...pj, 'www-authenticate': 'Bearer' }), body: problem(401) })).toEqual(
      [],
    );
    expect(contractViolations({ method: 'GET', url: '/v1/no-such-path', status: 404, headers: h(pj), body: problem(404) })).toEqual([]);
  });

  it('refuses an undocumented status, body member, header or content type, and a 405 without Allow', () => {
    expect(contractViolations({ method: 'GET', url: '/v1/me', status: 418, headers: h(pj), body: problem(418) })[0]).toMatch(/status not documented/);
    expect(contractViolations({ method: 'GET', url: '/v1/me', status: 404, headers: h(pj), body: problem(404) })[0]).toMatch(/status not documented/);
    expect(contractViolations({ method: 'GET', url: '/v1/me', status: 401, headers: h(pj), body: problem(401, { secret: 1 }) })[0]).toMatch(
      /additional properties/,
    );
    expect(contractViolations({ method: 'GET', url: '/v1/me', status: 200, headers: h({ 'content-type': 'application/json' }), body: '{"id":1}' })[0]).toMatch(
      /does not match/,
    );
    expect(contractViolations({ method: 'GET', url: '/v1/me', status: 401, headers: h({ 'content-type': 'text/html' }), body: '<p>' })[0]).toMatch(
      /content type text\/html not documented/,
    );
    expect(contractViolations({ method: 'GET', url: '/v1/me', status: 401, headers: h({ ...pj, location: '/x' }), body: problem(401) })[0]).toMatch(
      /header location sent but not documented/,
    );
    expect(contractViolations({ method: 'PUT', url: '/v1/me', status: 405, headers: h(pj), body: problem(405) })[0]).toMatch(/required header allow missing/);
    expect(contractViolations({ method: 'PUT', url: '/v1/me', status: 404, headers: h(pj), body: problem(404) })[0]).toMatch(/expected 405/);
    expect(contractViolations({ method: 'GET', url: '/v1/elsewhere', status: 200, headers: h({}), body: '' })[0]).toMatch(/not in the OpenAPI document/);
  });
});

describe('the document', () => {
  it('lists the middleware answers on every operation, and describes the webhooks', () => {
    for (const [p, item] of Object.entries<any>(doc.paths))
      for (const [m, op] of Object.entries<any>(item)) {
        const secured = !(Array.isArray(op.security) && op.security.length === 0);
        const must = ['400', '413', '415', ...(secured ? ['401', '403', '429'] : []), ...(p.includes('{') ? ['404'] : [])];
        expect(
          must.filter((s) => !op.responses[s]),
          `${m} ${p}`,
        ).toEqual([]);
        for (const [s, r] of Object.entries<any>(op.responses)) if (s.startsWith('2')) expect(r.content, `${m} ${p} ${s} has a body schema`).toBeDefined();
      }
    expect(doc.paths['/v1/financing-requests'].post.responses['429'].headers['Retry-After']).toBeDefined();
    expect(doc.paths['/v1/financing-requests'].post.responses['201'].headers.Location).toBeDefined();
    expect(doc.paths['/v1/products'].post.responses['201'].headers['Idempotent-Replayed']).toBeDefined();
    expect(doc.paths['/v1/loan-codes'].post.responses['422']).toBeDefined();
    expect(doc.components.responses.MethodNotAllowed.headers.Allow).toBeDefined();
    expect(doc.webhooks.notification.post.requestBody.content['application/json'].schema).toBeDefined();
  });
});
