import { ShapeError, formatShape } from '../../errors.js';
import { gather } from '../../ops/indexing.js';
import { shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../variables/variable.js';
import type { UpdateTarget } from './optimizer.js';

/**
 * Some rows of a Variable seen as a whole weight by an update rule: reads give the rows, an
 * assignment is held until `commit` writes the rows back into the full table. The
 * rule therefore runs on `[K, D]` tensors instead of the full `[R, D]` ones.
 */
class SelectedRows implements UpdateTarget {
  private rows: Tensor;
  private assigned = false;

  constructor(
    private readonly variable: Variable,
    private readonly indices: Tensor,
  ) {
    this.rows = gather(variable.value, indices, `the rows of '${variable.name}'`);
  }

  get value(): Tensor {
    return this.rows;
  }

  assign(rows: Tensor): void {
    if (!shapesEqual(rows.shape, this.rows.shape)) {
      throw new ShapeError(
        `Cannot assign ${formatShape(rows.shape)} to the ${formatShape(this.rows.shape)} selected rows of '${this.variable.name}'.`,
      );
    }
    this.rows = rows;
    this.assigned = true;
  }

  commit(): void {
    if (this.assigned) this.variable.assignRows(this.indices, this.rows);
  }
}

/**
 * Runs `update` on rows `rows` (distinct, ascending) of `weight`, its `gradient` and its
 * `slots`, then writes the new rows back: the lazy update of `sparseUpdates`. Call it inside
 * a tidy scope; only the committed Variables keep tensors.
 */
export function updateSelectedRows(
  weight: Variable,
  gradient: Tensor,
  slots: ReadonlyMap<string, Variable>,
  rows: Int32Array,
  update: (weight: UpdateTarget, gradient: Tensor, slots: ReadonlyMap<string, UpdateTarget>) => void,
): void {
  const indices = weight.engine.tensor(rows, [rows.length], 'int32');
  const target = new SelectedRows(weight, indices);
  const slotTargets = new Map([...slots].map(([name, slot]) => [name, new SelectedRows(slot, indices)]));
  update(target, gather(gradient, indices, `the gradient of '${weight.name}'`), slotTargets);
  target.commit();
  for (const slot of slotTargets.values()) slot.commit();
}
