import type { MetricBatch } from './metric.js';

/**
 * Row views of a batch's outputs over the last (class) axis, in the quantities metrics need:
 * argmax, per-class probabilities and log-probabilities, whichever form the outputs came in.
 */
export class OutputRows {
  readonly classes: number;
  readonly count: number;

  constructor(private readonly batch: MetricBatch) {
    this.classes = batch.outputShape[batch.outputShape.length - 1];
    this.count = batch.outputs.length / this.classes;
  }

  /** Index of the largest output of `row` (softmax keeps the order, so logits work too). */
  argmax(row: number): number {
    const outputs = this.batch.outputs;
    let best = 0;
    for (let k = 1; k < this.classes; k++)
      if (outputs[row * this.classes + k] > outputs[row * this.classes + best]) best = k;
    return best;
  }

  /** How much `row` counts in a metric: its mask value (0 for a padded step), or 1 without a mask. */
  weight(row: number): number {
    const mask = this.batch.mask ?? null;
    return mask === null ? 1 : mask[row];
  }

  /** The probability of `index` (flat), applying the folded activation if there is one. */
  probability(index: number): number {
    const value = this.batch.outputs[index];
    switch (this.batch.foldedActivation) {
      case 'sigmoid':
        return 1 / (1 + Math.exp(-value));
      case 'softmax': {
        const row = Math.floor(index / this.classes);
        return Math.exp(value - this.logSumExp(row));
      }
      case null:
        return value;
    }
  }

  /** `log p(klass | row)`: from logits exactly, from probabilities renormalised and clipped as the loss does. */
  logProbability(row: number, klass: number, epsilon: number): number {
    const outputs = this.batch.outputs;
    const start = row * this.classes;
    if (this.batch.foldedActivation === 'softmax') return outputs[start + klass] - this.logSumExp(row);
    let total = 0;
    for (let k = 0; k < this.classes; k++) total += outputs[start + k];
    return Math.log(Math.min(Math.max(outputs[start + klass] / total, epsilon), 1 - epsilon));
  }

  private cachedRow = -1;
  private cachedLogSumExp = 0;

  private logSumExp(row: number): number {
    if (row === this.cachedRow) return this.cachedLogSumExp;
    const outputs = this.batch.outputs;
    const start = row * this.classes;
    let peak = -Infinity;
    for (let k = 0; k < this.classes; k++) peak = Math.max(peak, outputs[start + k]);
    let total = 0;
    for (let k = 0; k < this.classes; k++) total += Math.exp(outputs[start + k] - peak);
    this.cachedRow = row;
    this.cachedLogSumExp = peak + Math.log(total);
    return this.cachedLogSumExp;
  }
}
