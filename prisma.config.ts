// Prisma 7 configuration. The CLI is used here only for `prisma generate` (offline) and, where
// Prisma's native engines can be downloaded, `prisma migrate deploy` on the same migrations folder.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/loanbridge' },
});
