// The workbench's API types are generated from the OpenAPI document (npm run web:types); a route
// or schema change without regenerating them fails here, so the web client cannot drift.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { generateWebTypes, WEB_TYPES } from '../../scripts/web-types';

it('web/src/api/schema.d.ts is what openapi-typescript makes of /openapi.json (run npm run web:types)', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lb-web-types-')), 'schema.d.ts');
  generateWebTypes(out);
  expect(fs.readFileSync(out, 'utf8') === fs.readFileSync(WEB_TYPES, 'utf8')).toBe(true);
}, 60_000);
