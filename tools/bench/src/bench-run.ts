import { median } from './statistics.js';
import { SystemProcess, WorkerTimeout } from './system-process.js';
import { GOAL_PAIRS, REFERENCE_SYSTEMS, type SystemInfo } from './systems/systems.js';
import { workloadData } from './workload-data.js';
import type { MemorySnapshot, PortableData, WorkerMessage } from './worker-protocol.js';
import { STREAM_STEPS_PER_CALL, WORKLOADS, type MetricName, type Workload, type WorkloadName } from './workloads.js';

/** How long and how often to measure. */
export interface Protocol {
  /** Timed rounds; every system runs once per round, in a rotating order. */
  readonly rounds: number;
  /** Warm-up time per system before the rounds (at least one call). */
  readonly warmupSeconds: number;
  /** Target time per system per round; the call count is fixed from the warm-up. */
  readonly roundSeconds: number;
  readonly maxCallsPerRound: number;
  /** A system whose single call takes longer is stopped and reported as too slow. */
  readonly callCapSeconds: number;
}

export const QUICK_PROTOCOL: Protocol = {
  rounds: 3,
  warmupSeconds: 0.3,
  roundSeconds: 0.4,
  maxCallsPerRound: 50,
  callCapSeconds: 12,
};
export const FULL_PROTOCOL: Protocol = {
  rounds: 5,
  warmupSeconds: 2,
  roundSeconds: 2,
  maxCallsPerRound: 500,
  callCapSeconds: 120,
};

export interface Measurement {
  readonly workload: WorkloadName;
  readonly system: string;
  readonly metric: MetricName;
  readonly unit: 'samples/s' | 'us/step';
  /** Median, min and max of the per-round medians. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Timed calls in all rounds. */
  readonly runs: number;
  readonly roundValues: readonly number[];
  /** Effective GFLOP/s from the exact FLOP counts of workloads.md. */
  readonly gflops: number;
  /** Threads the system computes with. */
  readonly threads: number;
  /** The worker's memory after the warm-up and after the last timed call, when it answered. */
  readonly memory: MemoryGrowth | null;
}

/**
 * Memory before and after the timed rounds of one metric: growth across repeated calls (after a
 * full collection both times) is memory the system keeps per call. `measure` is the live
 * JavaScript memory (heap used + external) for Node systems and the RSS for PyTorch.
 */
export interface MemoryGrowth {
  readonly measure: 'js-live' | 'rss';
  readonly afterWarmupMb: number;
  readonly afterLastCallMb: number;
  readonly growthMb: number;
  /** The resident set's growth over the same calls (every system). */
  readonly rssGrowthMb: number;
}

export interface Failure {
  readonly workload: WorkloadName;
  readonly system: string;
  readonly metric: MetricName | 'setup';
  readonly reason: string;
}

export interface Ratio {
  readonly workload: WorkloadName;
  readonly metric: MetricName;
  /** `<a>/<b>`: how many times faster a is than b (> 1: a is faster), median over rounds. */
  readonly ratio: string;
  readonly value: number;
}

export interface MemoryUse {
  readonly workload: WorkloadName;
  readonly system: string;
  /** Peak resident set of the system's worker process over this workload, in MB. */
  readonly peakRssMb: number;
}

export interface WorkloadResult {
  readonly measurements: Measurement[];
  readonly failures: Failure[];
  readonly ratios: Ratio[];
  readonly memory: MemoryUse[];
}

type Log = (line: string) => void;

/** The workload's data as JSON for the Python worker (the one Node generated, not a second copy of the PRNG). */
function portableData(workload: WorkloadName): PortableData {
  const data = workloadData(workload);
  return {
    x: {
      shape: [...data.x.shape],
      values: Array.from(data.x.values),
      dtype: data.x.values instanceof Int32Array ? 'int32' : 'float32',
    },
    y: data.y === undefined ? undefined : { shape: [...data.y.shape], values: Array.from(data.y.values) },
    labels: data.labels === undefined ? undefined : Array.from(data.labels),
  };
}

function toValue(workload: Workload, metric: MetricName, seconds: number): number {
  return metric === 'step' ? (seconds / STREAM_STEPS_PER_CALL) * 1e6 : workload.batch / seconds;
}

function gflopsOf(workload: Workload, metric: MetricName, value: number): number {
  if (metric === 'step') return workload.forwardFlops / value / 1e3;
  return (value * (metric === 'train' ? workload.trainingFlops : workload.forwardFlops)) / 1e9;
}

/** A system as the run sees it: its process (restarted after a kill) and what it cannot do. */
interface Participant {
  readonly system: SystemInfo;
  process: SystemProcess | null;
  unsupported: Partial<Record<MetricName, string>>;
  maxRssKilobytes: number;
}

function memoryGrowth(before: MemorySnapshot, after: MemorySnapshot): MemoryGrowth {
  const live = before.liveMb !== undefined && after.liveMb !== undefined;
  const [first, last] = live ? [before.liveMb!, after.liveMb!] : [before.rssMb, after.rssMb];
  return {
    measure: live ? 'js-live' : 'rss',
    afterWarmupMb: first,
    afterLastCallMb: last,
    growthMb: last - first,
    rssGrowthMb: after.rssMb - before.rssMb,
  };
}

/** `<a>/<b>` pairs to report for the systems that completed: every system against each reference, then the goal pairs. */
function ratioPairs(names: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  const add = (a: string, b: string) => {
    if (a !== b && names.includes(a) && names.includes(b) && !pairs.some(([x, y]) => x === a && y === b))
      pairs.push([a, b]);
  };
  for (const reference of REFERENCE_SYSTEMS) for (const name of names) add(name, reference);
  for (const [a, b] of GOAL_PAIRS) add(a, b);
  return pairs;
}

async function replyOfType(
  process: SystemProcess,
  reply: Promise<WorkerMessage>,
  type: WorkerMessage['type'],
): Promise<WorkerMessage> {
  const message = await reply;
  if (message.type === 'failed') throw new Error(message.message);
  if (message.type !== type)
    throw new Error(`${process.system.name} worker answered '${message.type}', expected '${type}'.`);
  return message;
}

/**
 * Measures one workload on the given systems by the protocol of workloads.md: per metric, each
 * system warms up, then all run round-robin for several rounds; a round's value is the median of
 * its calls, the result the median of the rounds (spread: min..max of the rounds), and ratios are
 * taken per round, pair-wise, then their median.
 */
export async function runWorkload(
  workloadName: WorkloadName,
  systems: readonly SystemInfo[],
  protocol: Protocol,
  log: Log,
): Promise<WorkloadResult> {
  const workload = WORKLOADS[workloadName];
  const result: WorkloadResult = { measurements: [], failures: [], ratios: [], memory: [] };
  const participants: Participant[] = systems.map((system) => ({
    system,
    process: null,
    unsupported: {},
    maxRssKilobytes: 0,
  }));
  const portable = systems.some((system) => system.host.kind === 'python') ? portableData(workloadName) : undefined;

  const ensureStarted = async (participant: Participant): Promise<boolean> => {
    if (participant.process?.running) return true;
    const process = SystemProcess.start(participant.system);
    participant.process = process;
    try {
      const ready = await replyOfType(
        process,
        process.request(
          { type: 'setup', workload: workloadName, data: process.system.host.kind === 'python' ? portable : undefined },
          600,
        ),
        'ready',
      );
      participant.unsupported = (ready as Extract<WorkerMessage, { type: 'ready' }>).unsupported;
      return true;
    } catch (error) {
      process.kill();
      result.failures.push({
        workload: workloadName,
        system: participant.system.name,
        metric: 'setup',
        reason: (error as Error).message,
      });
      return false;
    }
  };

  const run = async (
    participant: Participant,
    metric: MetricName,
    calls: number,
    timeoutSeconds: number,
  ): Promise<number[] | string> => {
    const process = participant.process!;
    try {
      const reply = await replyOfType(
        process,
        process.request({ type: 'run', metric, calls }, timeoutSeconds),
        'times',
      );
      return [...(reply as Extract<WorkerMessage, { type: 'times' }>).seconds];
    } catch (error) {
      if (error instanceof WorkerTimeout) {
        const what = metric === 'train' ? 'train' : metric === 'infer' ? 'infer' : 'stream';
        return `cannot ${what} in reasonable time: one call did not finish within ${protocol.callCapSeconds} s (stopped)`;
      }
      return (error as Error).message;
    }
  };

  const snapshot = async (participant: Participant): Promise<MemorySnapshot | null> => {
    try {
      return (await replyOfType(
        participant.process!,
        participant.process!.request({ type: 'memory' }, 60),
        'memory',
      )) as Extract<WorkerMessage, { type: 'memory' }>;
    } catch (error) {
      log(`  ${participant.system.name}: no memory snapshot (${(error as Error).message})`);
      return null;
    }
  };

  log(`${workloadName}: starting ${participants.map((p) => p.system.name).join(', ')}`);
  const started = await Promise.all(participants.map(ensureStarted));
  const alive = participants.filter((_, k) => started[k]);

  for (const metric of workload.metrics) {
    const active: {
      participant: Participant;
      calls: number;
      callSeconds: number;
      rounds: number[];
      runs: number;
      afterWarmup: MemorySnapshot | null;
      memory: MemoryGrowth | null;
    }[] = [];
    for (const participant of alive) {
      if (!(await ensureStarted(participant))) continue;
      const reason = participant.unsupported[metric];
      if (reason !== undefined) {
        result.failures.push({ workload: workloadName, system: participant.system.name, metric, reason });
        continue;
      }
      const probe = await run(participant, metric, 1, protocol.callCapSeconds);
      if (typeof probe === 'string') {
        result.failures.push({ workload: workloadName, system: participant.system.name, metric, reason: probe });
        continue;
      }
      const extra = Math.min(100, Math.max(0, Math.ceil(protocol.warmupSeconds / probe[0]) - 1));
      const warm =
        extra > 0
          ? await run(participant, metric, extra, extra * Math.max(10 * probe[0], 1) + protocol.callCapSeconds)
          : probe;
      if (typeof warm === 'string') {
        result.failures.push({ workload: workloadName, system: participant.system.name, metric, reason: warm });
        continue;
      }
      const callSeconds = median(warm.slice(-Math.max(1, warm.length >> 1)));
      const calls = Math.min(protocol.maxCallsPerRound, Math.max(1, Math.round(protocol.roundSeconds / callSeconds)));
      active.push({
        participant,
        calls,
        callSeconds,
        rounds: [],
        runs: 0,
        afterWarmup: await snapshot(participant),
        memory: null,
      });
      log(
        `  ${workloadName} ${metric} ${participant.system.name}: warm (${(callSeconds * 1e3).toFixed(1)} ms/call, ${calls} calls/round)`,
      );
    }
    for (let round = 0; round < protocol.rounds; round++) {
      const order = active.map((_, k) => active[(k + round) % active.length]);
      for (const entry of order) {
        if (entry.rounds.length < round) continue;
        const seconds = await run(
          entry.participant,
          metric,
          entry.calls,
          entry.calls * Math.max(10 * entry.callSeconds, 1) + protocol.callCapSeconds,
        );
        if (typeof seconds === 'string') {
          result.failures.push({
            workload: workloadName,
            system: entry.participant.system.name,
            metric,
            reason: seconds,
          });
          continue;
        }
        entry.rounds.push(toValue(workload, metric, median(seconds)));
        entry.runs += seconds.length;
      }
    }
    const complete = active.filter((entry) => entry.rounds.length === protocol.rounds);
    for (const entry of complete) {
      const afterLastCall = entry.afterWarmup === null ? null : await snapshot(entry.participant);
      if (entry.afterWarmup !== null && afterLastCall !== null)
        entry.memory = memoryGrowth(entry.afterWarmup, afterLastCall);
    }
    for (const entry of complete) {
      const value = median(entry.rounds);
      result.measurements.push({
        workload: workloadName,
        system: entry.participant.system.name,
        metric,
        unit: metric === 'step' ? 'us/step' : 'samples/s',
        median: value,
        min: Math.min(...entry.rounds),
        max: Math.max(...entry.rounds),
        runs: entry.runs,
        roundValues: entry.rounds,
        gflops: gflopsOf(workload, metric, value),
        threads: entry.participant.system.threads,
        memory: entry.memory,
      });
    }
    const byName = new Map(complete.map((entry) => [entry.participant.system.name, entry]));
    for (const [a, b] of ratioPairs([...byName.keys()])) {
      const [entry, base] = [byName.get(a)!, byName.get(b)!];
      // Per round: speed of a over speed of b (for us/step, the inverse of the time ratio).
      const perRound = entry.rounds.map((value, round) =>
        metric === 'step' ? base.rounds[round] / value : value / base.rounds[round],
      );
      result.ratios.push({ workload: workloadName, metric, ratio: `${a}/${b}`, value: median(perRound) });
    }
    log(
      `${workloadName} ${metric}: ${complete.map((entry) => `${entry.participant.system.name} ${median(entry.rounds).toFixed(1)}`).join(', ')}`,
    );
  }

  for (const participant of participants) {
    const process = participant.process;
    if (process === null || !process.running) continue;
    try {
      const bye = await replyOfType(process, process.request({ type: 'exit' }, 30), 'bye');
      result.memory.push({
        workload: workloadName,
        system: participant.system.name,
        peakRssMb: (bye as Extract<WorkerMessage, { type: 'bye' }>).maxRssKilobytes / 1024,
      });
    } catch (error) {
      log(`  ${participant.system.name}: no memory report (${(error as Error).message})`);
    }
    process.kill();
  }
  return result;
}
