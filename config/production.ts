// What a production process (api/main.ts, worker/main.ts, i.e. not the embedded stack of npm start)
// refuses to start without: each missing setting would otherwise fall back to something only fit
// for development (open /metrics, links from the Host header, simulated credit data, demo logins).
import { SOURCE_NAMES } from '../domain/credit/sources';
import { envName } from '../datasources/config';

export function productionConfigProblems(role: 'api' | 'worker', env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.SEED_DEMO) problems.push('SEED_DEMO seeds well-known demo credentials: unset it outside the embedded stack');
  if (role === 'api') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET (at least 32 characters, shared by every API replica) is required');
    if (!env.METRICS_TOKEN) problems.push('METRICS_TOKEN is required: /metrics would be open to anyone');
    if (!env.PUBLIC_URL) problems.push('PUBLIC_URL is required: links would be built from the Host header');
  } else {
    const unset = SOURCE_NAMES.filter((s) => !env[`DATASOURCE_${envName(s)}_URL`]);
    if (unset.length && !env.DATASOURCE_SIMULATOR_URL)
      problems.push(`DATASOURCE_<NAME>_URL is required for ${unset.join(', ')} (or DATASOURCE_SIMULATOR_URL, on purpose)`);
  }
  return problems;
}

/** Throws with every problem at once, so an operator fixes the environment in one go. */
export function assertProductionConfig(role: 'api' | 'worker', env: NodeJS.ProcessEnv = process.env): void {
  const problems = productionConfigProblems(role, env);
  if (problems.length) throw new Error(`${role} refuses to start:\n- ${problems.join('\n- ')}`);
}
