// The OpenAPI document as a contract the tests enforce on every answer of the API: the status is one
// the operation lists (or 405 with Allow for a method the path does not list), the content type one
// it lists for that status, a JSON body valid against its schema (ajv, JSON Schema 2020-12 as
// OpenAPI 3.1 uses), required headers present, and no header clients act on (Retry-After, Location,
// Idempotent-Replayed, Allow, WWW-Authenticate) the document does not mention for that answer.
// test/support/http.ts runs it on every call the tests make.
import { appendFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../api/openapi';
import { pathMatcher } from '../../api/openapi/pathMatcher';

type Obj = Record<string, any>;

/** Not part of the API's contract: the document's own viewer and the embedded stack's dev helpers. */
const OUTSIDE_CONTRACT = [/^\/docs(\/|$)/, /^\/dev\//];
/** Headers whose presence changes what a client does: each must be documented where it is sent. */
const CONTRACT_HEADERS = ['retry-after', 'location', 'idempotent-replayed', 'allow', 'www-authenticate'];

export interface Answer {
  method: string;
  /** Path and query as sent. */
  url: string;
  status: number;
  headers: Headers;
  /** The body as text; undefined when not read (binary). */
  body?: string;
}

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

let state: { doc: Obj; match: ReturnType<typeof pathMatcher>; ajv: Ajv2020; cache: Map<string, ValidateFunction> } | undefined;

function contract() {
  if (state) return state;
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as Obj;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  state = { doc, match: pathMatcher(doc.paths), ajv, cache: new Map() };
  return state;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function deref(doc: Obj, o: Obj | undefined): Obj | undefined {
  let cur = o;
  for (let i = 0; cur?.$ref && i < 5; i++) {
    cur = String(cur.$ref)
      .replace(/^#\//, '')
      .split('/')
      .reduce<Obj | undefined>((acc, k) => acc?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return cur;
}

const mediaType = (ct: string | null) => (ct ?? '').split(';')[0]!.trim().toLowerCase();

/** What is wrong with an answer against the document, empty when nothing. */
export function contractViolations(a: Answer): string[] {
  const { doc, match, ajv, cache } = contract();
  const path = new URL(a.url, 'http://x').pathname;
  if (OUTSIDE_CONTRACT.some((re) => re.test(path))) return [];
  const out: string[] = [];
  const where = `${a.method} ${path} → ${a.status}`;
  const hit = match(path);
  const method = a.method.toUpperCase() === 'HEAD' ? 'get' : a.method.toLowerCase();
  let response: Obj | undefined;
  let schemaAt: string[];
  if (!hit) {
    // A path outside the document: only the catch-all "no such resource" may answer it.
    if (a.status !== 404) return [`${where}: path not in the OpenAPI document`];
    response = { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    schemaAt = ['components', 'schemas', 'Problem'];
  } else if (!hit.methods.includes(method.toUpperCase())) {
    if (a.status !== 405) return [`${where}: ${a.method} is not an operation of ${hit.template}, expected 405`];
    response = deref(doc, { $ref: '#/components/responses/MethodNotAllowed' });
    schemaAt = ['components', 'responses', 'MethodNotAllowed', 'content', 'application/problem+json', 'schema'];
  } else {
    const responses = doc.paths[hit.template][method].responses as Obj;
    const key = [String(a.status), `${String(a.status)[0]}XX`, 'default'].find((k) => k in responses);
    if (!key) return [`${where}: status not documented for ${method.toUpperCase()} ${hit.template} (documented: ${Object.keys(responses).join(', ')})`];
    response = deref(doc, responses[key]);
    schemaAt = ['paths', hit.template, method, 'responses', key];
  }
  // Headers: required ones present, contract headers documented.
  const documented = Object.fromEntries(Object.entries((response?.headers ?? {}) as Obj).map(([k, v]) => [k.toLowerCase(), deref(doc, v)]));
  for (const [name, h] of Object.entries(documented)) if (h?.required && !a.headers.has(name)) out.push(`${where}: required header ${name} missing`);
  for (const name of CONTRACT_HEADERS) if (a.headers.has(name) && !(name in documented)) out.push(`${where}: header ${name} sent but not documented`);
  // Body.
  const content = response?.content as Obj | undefined;
  const type = mediaType(a.headers.get('content-type'));
  const empty = a.body === '' || a.method.toUpperCase() === 'HEAD' || a.status === 204 || a.status === 304;
  if (!content) {
    if (!empty && !(a.status >= 300 && a.status < 400)) out.push(`${where}: a ${type || 'body'} answer where the document describes no body`);
    return out;
  }
  if (empty) return out;
  const mt = Object.keys(content).find((k) => k.toLowerCase() === type);
  if (!mt) return [...out, `${where}: content type ${type || '(none)'} not documented (documented: ${Object.keys(content).join(', ')})`];
  if (!/json$/.test(mt) || a.body === undefined) return out;
  let value: unknown;
  try {
    value = JSON.parse(a.body);
  } catch {
    return [...out, `${where}: ${mt} body is not JSON: ${a.body.slice(0, 100)}`];
  }
  const ref =
    schemaAt[0] === 'components' && schemaAt[1] === 'schemas' ? schemaAt : [...schemaAt, ...(schemaAt[0] === 'paths' ? ['content', mt, 'schema'] : [])];
  const id = `openapi.json#/${pointer(...ref)}`;
  let validate = cache.get(id);
  if (!validate) {
    validate = ajv.compile({ $ref: id });
    cache.set(id, validate);
  }
  if (!validate(value))
    out.push(
      `${where}: body does not match the document: ${ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 600)} — body ${JSON.stringify(value).slice(0, 300)}`,
    );
  return out;
}

/** Throws when the answer breaks the document: the test that made the call fails with what is wrong. */
export function assertContract(a: Answer): void {
  const v = contractViolations(a);
  // CONTRACT_REPORT=<file>: list every mismatch of a run there instead of stopping at the first.
  if (v.length && process.env.CONTRACT_REPORT) return appendFileSync(process.env.CONTRACT_REPORT, v.join('\n') + '\n');
  if (v.length) throw new Error(`OpenAPI contract broken:\n  ${v.join('\n  ')}`);
}
