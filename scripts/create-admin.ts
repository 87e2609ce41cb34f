// npm run admin:create -- --name "Ops" [--email ops@example.com]: the first admin of a production
// database (DATABASE_URL). Prints the API key once; admins then create every other principal
// through POST /v1/principals.
import { randomUUID } from 'node:crypto';
import { createApiKey } from '../api/auth/apiKeys';
import { readEnv } from '../config/env';
import { openDatabase } from '../prisma/database';
import { scriptDatabaseUrl } from './scriptDatabase';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const env = readEnv();
  const server = await scriptDatabaseUrl(env);
  const db = await openDatabase({ databaseUrl: server.url, migrate: !env.databaseUrl });
  try {
    const principal = await db.prisma.principal.create({
      data: { id: randomUUID(), role: 'admin', name: flag('name') ?? 'Administrator', email: flag('email')?.toLowerCase() ?? null },
    });
    const key = await createApiKey(db.prisma, principal.id, 'bootstrap');
    console.log(`admin principal ${principal.id}\nAPI key (shown once, store it now): ${key.key}`);
  } finally {
    await db.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
