import type { WorkloadData } from '../workload-data.js';
import type { MetricName, Workload } from '../workloads.js';

/**
 * Design: one system (a library on one backend) set up for one workload inside a worker
 * process. The harness times `call` from outside; everything a user would do once (building
 * the model, uploading the batch, compiling) happens in the factory, everything measured
 * happens in `call`, which ends with the result on the host.
 */
export interface SystemRunner {
  /** Why this system cannot measure `metric` at all (known before trying), or null. */
  unsupported(metric: MetricName): string | null;
  /**
   * One timed unit: one training step (loss read back), one inference batch (output read back),
   * or `STREAM_STEPS_PER_CALL` stream steps (each step's output read back before the next).
   */
  call(metric: MetricName): Promise<void> | void;
}

/** Creates a runner for a workload, given its synthetic data. */
export type RunnerFactory = (workload: Workload, data: WorkloadData) => Promise<SystemRunner>;
