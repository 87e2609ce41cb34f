// npm run web:types — regenerates the workbench's API types (web/src/api/schema.d.ts) from the
// OpenAPI document the API serves, with openapi-typescript. test/unit/web-types.test.ts fails when
// the committed file is stale.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApiDocument } from '../api/openapi';

export const WEB_TYPES = path.join(__dirname, '..', 'web', 'src', 'api', 'schema.d.ts');

export function generateWebTypes(out: string): void {
  const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lb-openapi-')), 'openapi.json');
  fs.writeFileSync(tmp, JSON.stringify(openApiDocument()));
  const cli = path.join(path.dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js');
  execFileSync(process.execPath, [cli, tmp, '-o', out, '--root-types'], { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
}

if (require.main === module) {
  generateWebTypes(WEB_TYPES);
  console.log(`wrote ${path.relative(process.cwd(), WEB_TYPES)}`);
}
