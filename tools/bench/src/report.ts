import type { Failure, Measurement, MemoryUse, Ratio } from './bench-run.js';
import type { SgemmPeak } from './peak-sgemm.js';
import { GOAL_PAIRS, REFERENCE_SYSTEMS } from './systems/systems.js';

export interface BenchReport {
  readonly date: string;
  readonly command: string;
  readonly machine: string;
  readonly threads: string;
  readonly peak: SgemmPeak | null;
  readonly measurements: readonly Measurement[];
  readonly ratios: readonly Ratio[];
  readonly failures: readonly Failure[];
  readonly memory: readonly MemoryUse[];
  readonly skipped: readonly { system: string; reason: string }[];
}

function round(value: number, digits = 3): number {
  return Number(value.toPrecision(digits + 2));
}

/** One JSON object per line: results, ratios, failures, peak RSS, the sgemm peak. */
export function jsonLines(report: BenchReport): string[] {
  const lines: object[] = [];
  if (report.peak !== null) {
    lines.push({
      workload: null,
      system: 'ort-node',
      metric: 'sgemm-peak',
      unit: 'GFLOP/s',
      median: round(report.peak.gflops),
      min: round(report.peak.gflops),
      max: round(report.peak.gflops),
      runs: 1,
      method: report.peak.method,
    });
  }
  for (const m of report.measurements) {
    const share = report.peak === null ? undefined : round(m.gflops / report.peak.gflops);
    const memory =
      m.memory === null
        ? {}
        : {
            memoryGrowthMB: round(m.memory.growthMb),
            memoryMeasure: m.memory.measure,
            memoryAfterWarmupMB: round(m.memory.afterWarmupMb),
            memoryAfterLastCallMB: round(m.memory.afterLastCallMb),
            rssGrowthMB: round(m.memory.rssGrowthMb),
          };
    lines.push({
      workload: m.workload,
      system: m.system,
      metric: m.metric,
      unit: m.unit,
      median: round(m.median),
      min: round(m.min),
      max: round(m.max),
      runs: m.runs,
      threads: m.threads,
      gflops: round(m.gflops),
      peakShare: share,
      ...memory,
    });
  }
  for (const r of report.ratios)
    lines.push({ workload: r.workload, metric: r.metric, ratio: r.ratio, value: round(r.value) });
  for (const memory of report.memory) {
    const mb = round(memory.peakRssMb);
    lines.push({
      workload: memory.workload,
      system: memory.system,
      metric: 'peak-rss',
      unit: 'MB',
      median: mb,
      min: mb,
      max: mb,
      runs: 1,
    });
  }
  for (const f of report.failures)
    lines.push({ workload: f.workload, system: f.system, metric: f.metric, error: f.reason });
  for (const s of report.skipped)
    lines.push({ workload: null, system: s.system, metric: null, error: `skipped: ${s.reason}` });
  return lines.map((line) => JSON.stringify(line));
}

function format(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A signed MB figure: +0.0 reads as "no growth". */
function megabytes(value: number): string {
  return `${value < 0 ? '-' : '+'}${Math.abs(value).toFixed(1)}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((cell, k) => Math.max(cell.length, ...rows.map((row) => row[k].length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, k) => cell.padEnd(widths[k])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

/** The human report: a Markdown table per section, ready to paste into RESULTS.md. */
export function markdownReport(report: BenchReport): string {
  const out: string[] = [
    `Date: ${report.date}`,
    `Command: \`${report.command}\``,
    `Machine: ${report.machine}`,
    `Threads: ${report.threads}`,
    report.peak === null
      ? 'Single-core sgemm peak: not measured'
      : `Single-core sgemm peak: ${format(report.peak.gflops)} GFLOP/s (${report.peak.method})`,
    '',
  ];
  const ratioOf = (m: Measurement, reference: string) =>
    report.ratios.find(
      (r) => r.workload === m.workload && r.metric === m.metric && r.ratio === `${m.system}/${reference}`,
    );
  const references = REFERENCE_SYSTEMS.filter((reference) => report.measurements.some((m) => m.system === reference));
  out.push(
    ...table(
      [
        'workload',
        'metric',
        'system',
        'threads',
        'median',
        'unit',
        'min..max (rounds)',
        'runs',
        'GFLOP/s',
        '% of peak',
        'mem growth (MB)',
        ...references.map((r) => `vs ${r}`),
      ],
      report.measurements.map((m) => [
        m.workload,
        m.metric,
        m.system,
        String(m.threads),
        format(m.median),
        m.unit,
        `${format(m.min)}..${format(m.max)}`,
        String(m.runs),
        format(m.gflops),
        report.peak === null ? '-' : `${((100 * m.gflops) / report.peak.gflops).toFixed(1)}%`,
        m.memory === null ? '-' : megabytes(m.memory.growthMb),
        ...references.map((reference) => {
          const ratio = ratioOf(m, reference);
          return m.system === reference ? '1' : ratio === undefined ? '-' : `${format(ratio.value)}x`;
        }),
      ]),
    ),
  );
  out.push(
    '',
    'Ratios are speed ratios (samples/s, or the inverse of us/step) taken per round, median over rounds; > 1 means the first system is faster.',
  );
  const goalRatios = report.ratios.filter((r) => GOAL_PAIRS.some(([a, b]) => r.ratio === `${a}/${b}`));
  if (goalRatios.length > 0) {
    out.push(
      '',
      "Goal pairs (two threads over one; Recur's ONNX export over the hand-built graph on the same runtime):",
      '',
    );
    out.push(
      ...table(
        ['workload', 'metric', 'ratio', 'value'],
        goalRatios.map((r) => [r.workload, r.metric, r.ratio, `${r.value.toFixed(3)}x`]),
      ),
    );
  }
  if (report.failures.length > 0 || report.skipped.length > 0) {
    out.push(
      '',
      ...table(
        ['workload', 'system', 'metric', 'could not measure'],
        [
          ...report.skipped.map((s) => ['all', s.system, '-', s.reason]),
          ...report.failures.map((f) => [f.workload, f.system, f.metric, f.reason.replace(/\|/g, '/').slice(0, 300)]),
        ],
      ),
    );
  }
  const grown = report.measurements.filter((m) => m.memory !== null);
  if (grown.length > 0) {
    out.push(
      '',
      "Memory across the timed calls, each snapshot after a full garbage collection: js-live = V8 heap used + external (ArrayBuffers, WebAssembly memories) of the worker's main thread; rss = resident set (PyTorch):",
      '',
    );
    out.push(
      ...table(
        [
          'workload',
          'metric',
          'system',
          'measure',
          'after warm-up (MB)',
          'after last call (MB)',
          'growth (MB)',
          'RSS growth (MB)',
        ],
        grown.map((m) => [
          m.workload,
          m.metric,
          m.system,
          m.memory!.measure,
          m.memory!.afterWarmupMb.toFixed(1),
          m.memory!.afterLastCallMb.toFixed(1),
          megabytes(m.memory!.growthMb),
          megabytes(m.memory!.rssGrowthMb),
        ]),
      ),
    );
  }
  if (report.memory.length > 0) {
    out.push('', "Peak RSS of each system's worker process over the workload (all its metrics, warm-up included):", '');
    out.push(
      ...table(
        ['workload', 'system', 'peak RSS (MB)'],
        report.memory.map((m) => [m.workload, m.system, m.peakRssMb.toFixed(0)]),
      ),
    );
  }
  return out.join('\n');
}
