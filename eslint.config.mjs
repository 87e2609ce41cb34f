// Lint rules after Temporal's samples: no floating promises anywhere; workflow code (and the pure
// domain code it imports) may not import Node built-ins, which would break determinism.
import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Imports of these top-level folders, from any depth. */
const layers = (dirs, who) => ({
  group: dirs.flatMap((d) => [`**/../${d}`, `**/../${d}/**`]),
  message: `${who} may not import ${dirs.join(', ')}.`,
});
/** Type-only imports of a folder (shared contracts), except the named modules. */
const typesOnly = (dir, who, except = []) => ({
  group: [`**/../${dir}/*`, ...except.map((m) => `!**/../${dir}/${m}`)],
  allowTypeImports: true,
  message: `${who} import ${dir}/ as types only.`,
});
const restrict = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default tseslint.config(
  { ignores: ['node_modules/**', 'generated/**', 'web/src/api/schema.d.ts', '.tools/**', 'data/**', 'dist/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', 'web/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'object-shorthand': ['error', 'always'],
    },
  },
  // Each layer imports only its neighbours (README, "Where things go"):
  // domain ← workflows ← activities ← queries/reports/notifications; api talks to queries, reports,
  // notifications and workflows' messages, never to activities. Imports of a deeper layer's types
  // are allowed where the rule says so.
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-nodejs-modules': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../activities', '../activities/*', '!../activities/types'],
              allowTypeImports: true,
              message: 'Workflows import activities as types only (proxyActivities).',
            },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'pg', 'express', '../prisma/*', '../generated/*'],
              message: 'No I/O in workflow or domain code.',
            },
            layers(['api', 'queries', 'reports', 'observability', 'datasources', 'config', 'tools'], 'Workflow and domain code'),
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [layers(['activities', 'workflows', 'notifications', 'api', 'queries', 'reports', 'observability', 'prisma', 'generated'], 'Domain code')],
        },
      ],
    },
  },
  restrict(['activities/**/*.ts'], [layers(['api', 'tools'], 'Activities'), typesOnly('workflows', 'Activities')]),
  restrict(
    ['queries/**/*.ts', 'reports/**/*.ts'],
    [layers(['api', 'activities', 'tools'], 'Read models and reports'), typesOnly('workflows', 'Read models', ['searchAttributes'])],
  ),
  restrict(['notifications/**/*.ts'], [layers(['api', 'activities', 'workflows', 'queries', 'reports', 'tools'], 'Notifications')]),
  restrict(['observability/**/*.ts'], [layers(['api', 'activities', 'workflows', 'queries', 'notifications'], 'Observability')]),
  restrict(['api/**/*.ts'], [layers(['activities', 'tools'], 'The API (use queries/ for reads, a workflow update for changes)')]),
  restrict(['api/pages/**/*.ts'], [{ group: ['../routes', '../routes/*'], message: 'Pages do not import route modules; share through a neutral module.' }]),
  restrict(['bench/**/*.ts'], [layers(['test'], 'Benchmarks (shared helpers go in tools/)')]),
  // The environment is read by config/ and the entry points; everything else receives what it needs.
  // Still reading it themselves (as a default when the caller passes nothing): the tracing hooks,
  // the data-source and notification-store defaults, and the report's font lookup.
  {
    files: ['**/*.ts'],
    ignores: [
      ...['config/**', 'api/main.ts', 'worker/main.ts', 'scripts/**', 'datasources/simulator/main.ts', 'bench/**', 'test/**', 'tools/**', '*.config.ts'],
      ...['observability/tracing.ts', 'datasources/config.ts', 'activities/index.ts', 'reports/supervisionReport.ts'],
      ...['api/routes/notifications.ts', 'api/routes/push.ts'],
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration in config/ (or an entry point) and pass it in.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
