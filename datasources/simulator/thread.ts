// Run the simulator on its own thread inside this process, so a load test's client side (fetch,
// JSON, zod) and the simulated servers do not share one event loop. Used by the bench.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { FaultConfig } from './faults';
import { startSimulator } from './server';

export interface SimulatorThread {
  url: string;
  close(): Promise<void>;
}

interface ThreadInput {
  faults?: FaultConfig;
  seed?: string;
}

export function startSimulatorThread(input: ThreadInput = {}): Promise<SimulatorThread> {
  // A worker does not inherit tsx's loader: register tsx's CommonJS hook, then load this file.
  const bootstrap = `require('tsx/cjs'); require(${JSON.stringify(__filename)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: input });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (msg: { url: string }) => {
      resolve({
        url: msg.url,
        close: async () => {
          await worker.terminate();
        },
      });
    });
  });
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const input = workerData as ThreadInput;
  void startSimulator({ faults: input.faults, seed: input.seed }).then((sim) => port.postMessage({ url: sim.url }));
}
