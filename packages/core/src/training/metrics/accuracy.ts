import type { Metric, MetricBatch } from './metric.js';
import { OutputRows } from './output-rows.js';

/**
 * The fraction of correct predictions. As in Keras, `accuracy` means sparse categorical
 * accuracy for integer labels, categorical accuracy (argmax agrees) for one-hot labels, and
 * binary accuracy (output above 0.5 agrees with the 0/1 label) for binary labels; with a
 * regression loss, an output of size 1 is read as binary, a wider one as categorical. Padded
 * (masked) steps of a sequence output are left out.
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 */
export class Accuracy implements Metric {
  readonly direction = 'up';
  private correct = 0;
  private total = 0;

  constructor(readonly name = 'accuracy') {}

  update(batch: MetricBatch): void {
    const rows = new OutputRows(batch);
    const kind = batch.labelKind === 'regression' ? (rows.classes === 1 ? 'binary' : 'categorical') : batch.labelKind;
    if (kind === 'binary') {
      for (let k = 0; k < batch.outputs.length; k++) {
        const weight = rows.weight(Math.floor(k / rows.classes));
        if (weight === 0) continue;
        if (batch.labels[k] === (rows.probability(k) > 0.5 ? 1 : 0)) this.correct += weight;
        this.total += weight;
      }
      return;
    }
    for (let row = 0; row < rows.count; row++) {
      const weight = rows.weight(row);
      if (weight === 0) continue;
      const expected = kind === 'sparse' ? batch.labels[row] : argmaxOf(batch.labels, row * rows.classes, rows.classes);
      if (rows.argmax(row) === expected) this.correct += weight;
      this.total += weight;
    }
  }

  result(): number {
    return this.total === 0 ? 0 : this.correct / this.total;
  }

  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}

function argmaxOf(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[start + k] > values[start + best]) best = k;
  return best;
}
