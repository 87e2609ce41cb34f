// Run the simulator on its own: `npx tsx datasources/simulator/main.ts` (PORT, default 4010).
import { startSimulator } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.DATASOURCE_SIMULATOR_PORT ?? process.env.PORT ?? 4010);
  const sim = await startSimulator({ port, host: process.env.DATASOURCE_SIMULATOR_HOST ?? '127.0.0.1' });
  console.log(`data-source simulator listening on ${sim.url}`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
