import type { Engine } from '../engine/engine.js';
import { gather } from '../ops/indexing.js';
import type { Variable } from '../variables/variable.js';

/**
 * What a worker is sent of one weight before a step: nothing when it holds the current values
 * already, the rows a lazy (`sparseUpdates`) step changed, or all values. A sparse step on an
 * embedding of 20,000 rows changes a few thousand, so sending rows saves most of the copying.
 */
export type WeightUpdate =
  | { readonly kind: 'same' }
  | { readonly kind: 'rows'; readonly rows: Int32Array; readonly values: Float32Array }
  | { readonly kind: 'all'; readonly values: Float32Array };

/** The ids of a weight's value tensors before and after one optimizer step that changed only `rows`. */
export interface RowChange {
  readonly before: number;
  readonly after: number;
  readonly rows: Int32Array;
}

/**
 * The trainer's record of what each worker holds. Values are compared by tensor id: a Variable
 * gets a new tensor whenever anything assigns it (an optimizer step, `setWeights`, a callback
 * restoring weights), so the same tensor means the same values, and a row change applies only
 * when the worker holds exactly the tensor it started from. Ids, not tensors, so the record
 * keeps no released storage alive.
 */
export class WeightSync {
  /** Per worker: the ids of the weight tensors whose values it holds, in `weights` order (empty before the first step). */
  private readonly held: number[][];
  private rowChanges = new Map<Variable, RowChange>();

  constructor(workers: number) {
    this.held = Array.from({ length: workers }, () => []);
  }

  /** Notes the rows the latest optimizer step changed; any older changes no longer chain. */
  recordStep(changes: ReadonlyMap<Variable, RowChange>): void {
    this.rowChanges = new Map(changes);
  }

  /** What worker `index` must receive to hold the current values of `weights`; records that it will. */
  updatesFor(index: number, weights: readonly Variable[]): WeightUpdate[] {
    const held = this.held[index];
    const updates = weights.map((weight, k): WeightUpdate => {
      const current = weight.value;
      if (held[k] === current.id) return { kind: 'same' };
      const change = this.rowChanges.get(weight);
      if (change !== undefined && change.after === current.id && held[k] === change.before) {
        const values = current.engine.tidy(() =>
          gather(current, current.engine.tensor(change.rows, [change.rows.length], 'int32')).read(),
        );
        // A copy per worker: the arrays are transferred, which empties them on this side.
        return { kind: 'rows', rows: change.rows.slice(), values: values as Float32Array };
      }
      return { kind: 'all', values: current.read() as Float32Array };
    });
    this.held[index] = weights.map((weight) => weight.value.id);
    return updates;
  }
}

/** The buffers of `updates` to transfer rather than copy. */
export function updateBuffers(updates: readonly WeightUpdate[]): ArrayBuffer[] {
  return updates.flatMap((update) =>
    update.kind === 'same'
      ? []
      : update.kind === 'rows'
        ? [update.rows.buffer as ArrayBuffer, update.values.buffer as ArrayBuffer]
        : [update.values.buffer as ArrayBuffer],
  );
}

/** Applies a step's `updates` to a worker's copy of the weights (same order as the trainer's). */
export function applyWeightUpdates(
  engine: Engine,
  weights: readonly Variable[],
  updates: readonly WeightUpdate[],
): void {
  if (updates.length !== weights.length) {
    throw new Error(
      `the trainer sent ${updates.length} weights but the worker's model has ${weights.length}: the model changed after DataParallelTrainer.start; start a new trainer.`,
    );
  }
  engine.tidy(() =>
    weights.forEach((weight, k) => {
      const update = updates[k];
      if (update.kind === 'all') weight.assign(engine.tensor(update.values, weight.shape));
      else if (update.kind === 'rows') {
        const rows = engine.tensor(update.rows, [update.rows.length], 'int32');
        weight.assignRows(rows, engine.tensor(update.values, [update.rows.length, ...weight.shape.slice(1)]));
      }
    }),
  );
}
