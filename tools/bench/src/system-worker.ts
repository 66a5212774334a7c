import { SYSTEMS } from './systems/systems.js';
import type { SystemRunner } from './systems/system-runner.js';
import { workloadData } from './workload-data.js';
import { WORKLOADS, type MetricName } from './workloads.js';
import type { HarnessMessage, WorkerMessage } from './worker-protocol.js';

/**
 * A worker process for one system: started by the harness with the system's name, it sets up
 * the workload named in the `setup` message and then times calls on request. One process per
 * system and workload keeps libraries' global state apart and gives each its own peak RSS.
 */
const systemName = process.argv[2];
let runner: SystemRunner | null = null;

function send(message: WorkerMessage): void {
  process.send!(message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function timeCalls(metric: MetricName, calls: number): Promise<number[]> {
  const seconds: number[] = [];
  for (let k = 0; k < calls; k++) {
    const start = process.hrtime.bigint();
    await runner!.call(metric);
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return seconds;
}

async function handle(message: HarnessMessage): Promise<void> {
  try {
    switch (message.type) {
      case 'setup': {
        const system = SYSTEMS.find((candidate) => candidate.name === systemName);
        if (system === undefined || system.host.kind !== 'node')
          throw new Error(`No Node system named '${systemName}'.`);
        const workload = WORKLOADS[message.workload];
        runner = await (await system.host.load())(workload, workloadData(workload.name));
        const unsupported: Partial<Record<MetricName, string>> = {};
        for (const metric of workload.metrics) {
          const reason = runner.unsupported(metric);
          if (reason !== null) unsupported[metric] = reason;
        }
        send({ type: 'ready', unsupported });
        break;
      }
      case 'run':
        send({ type: 'times', seconds: await timeCalls(message.metric, message.calls) });
        break;
      case 'memory': {
        // Started with --expose-gc: collect first, so what is left is what the system holds;
        // twice, with a turn of the event loop between, so finalizers can release native memory.
        globalThis.gc?.();
        await new Promise((resolve) => setImmediate(resolve));
        globalThis.gc?.();
        const usage = process.memoryUsage();
        send({ type: 'memory', rssMb: usage.rss / 2 ** 20, liveMb: (usage.heapUsed + usage.external) / 2 ** 20 });
        break;
      }
      case 'exit':
        send({ type: 'bye', maxRssKilobytes: process.resourceUsage().maxRSS });
        process.disconnect();
        break;
    }
  } catch (error) {
    send({ type: 'failed', message: describe(error) });
  }
}

// Messages are handled one at a time, in order.
let queue = Promise.resolve();
process.on('message', (message: HarnessMessage) => {
  queue = queue.then(() => handle(message));
});
