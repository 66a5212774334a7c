#!/usr/bin/env node
import { cpus, totalmem } from 'node:os';
import {
  FULL_PROTOCOL,
  QUICK_PROTOCOL,
  runWorkload,
  type Failure,
  type Measurement,
  type MemoryUse,
  type Ratio,
} from './bench-run.js';
import { measureSgemmPeak } from './peak-sgemm.js';
import { jsonLines, markdownReport } from './report.js';
import { SYSTEMS, type SystemInfo } from './systems/systems.js';
import { WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

const USAGE = `Usage: pnpm bench [--quick] [--json] [--workloads charlm,sentiment,timeseries,stream] [--systems ${SYSTEMS.map((s) => s.name).join(',')}]

  --quick       fewer rounds and shorter rounds (the whole run takes a few minutes)
  --json        one JSON object per line on stdout instead of the table
  --workloads   comma-separated workloads (default: all four)
  --systems     comma-separated systems (default: all available)`;

interface CliOptions {
  quick: boolean;
  json: boolean;
  workloads: WorkloadName[];
  systems: string[];
}

function listOption(flag: string, value: string | undefined, allowed: readonly string[]): string[] {
  if (value === undefined || value.startsWith('--'))
    throw new Error(`${flag} needs a comma-separated list, e.g. ${flag} ${allowed.slice(0, 2).join(',')}.`);
  const names = value.split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !allowed.includes(name));
  if (unknown.length > 0) throw new Error(`${flag}: unknown ${unknown.join(', ')}; choose from ${allowed.join(', ')}.`);
  return names;
}

function parseArguments(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    quick: false,
    json: false,
    workloads: [...WORKLOAD_NAMES],
    systems: SYSTEMS.map((s) => s.name),
  };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--json') options.json = true;
    else if (flag === '--workloads') options.workloads = listOption(flag, argv[++k], WORKLOAD_NAMES) as WorkloadName[];
    else if (flag === '--systems')
      options.systems = listOption(
        flag,
        argv[++k],
        SYSTEMS.map((s) => s.name),
      );
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`Unknown option '${flag}'.\n${USAGE}`);
  }
  return options;
}

/** "1 thread: a, b; 2 threads: c" for the systems that run. */
function threadCounts(systems: readonly SystemInfo[]): string {
  const counts = [...new Set(systems.map((system) => system.threads))].sort((a, b) => a - b);
  return counts
    .map(
      (count) =>
        `${count} thread${count === 1 ? '' : 's'}: ${systems
          .filter((system) => system.threads === count)
          .map((system) => system.name)
          .join(', ')}`,
    )
    .join('; ');
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2).filter((argument) => argument !== '--'));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const protocol = options.quick ? QUICK_PROTOCOL : FULL_PROTOCOL;
  const chosen = SYSTEMS.filter((system) => options.systems.includes(system.name));
  const skipped = chosen.flatMap((system) => {
    const reason = system.missing();
    return reason === null ? [] : [{ system: system.name, reason }];
  });
  const systems = chosen.filter((system) => !skipped.some((s) => s.system === system.name));
  for (const s of skipped) log(`skipping ${s.system}: ${s.reason}`);

  log('measuring the single-core sgemm peak');
  const peak = await measureSgemmPeak();
  const measurements: Measurement[] = [];
  const ratios: Ratio[] = [];
  const failures: Failure[] = [];
  const memory: MemoryUse[] = [];
  for (const workload of options.workloads) {
    const result = await runWorkload(workload, systems, protocol, log);
    measurements.push(...result.measurements);
    ratios.push(...result.ratios);
    failures.push(...result.failures);
    memory.push(...result.memory);
  }
  const cpu = cpus();
  const report = {
    date: new Date().toISOString(),
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: `${cpu.length} cores (${cpu[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}-${process.arch}`,
    threads: `${threadCounts(systems)}; systems run one at a time (round-robin), each in its own worker process`,
    peak,
    measurements,
    ratios,
    failures,
    memory,
    skipped,
  };
  process.stdout.write(`${(options.json ? jsonLines(report) : [markdownReport(report)]).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
