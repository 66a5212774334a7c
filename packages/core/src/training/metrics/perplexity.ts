import { KERAS_EPSILON } from '../losses/loss.js';
import type { Metric, MetricBatch } from './metric.js';
import { OutputRows } from './output-rows.js';

/**
 * `exp(mean cross-entropy)` over every predicted row (token) seen in the epoch, padded (masked)
 * steps left out: the number of equally likely choices the model is as unsure as. 1 is
 * perfect; a uniform guess over C classes scores C.
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['perplexity'] });
 */
export class Perplexity implements Metric {
  readonly name = 'perplexity';
  readonly direction = 'down';
  private crossEntropy = 0;
  private rows = 0;

  update(batch: MetricBatch): void {
    const rows = new OutputRows(batch);
    for (let row = 0; row < rows.count; row++) {
      const weight = rows.weight(row);
      if (weight === 0) continue;
      if (batch.labelKind === 'sparse') {
        this.crossEntropy -= weight * rows.logProbability(row, batch.labels[row], KERAS_EPSILON);
      } else {
        for (let k = 0; k < rows.classes; k++) {
          const target = batch.labels[row * rows.classes + k];
          if (target !== 0) this.crossEntropy -= weight * target * rows.logProbability(row, k, KERAS_EPSILON);
        }
      }
      this.rows += weight;
    }
  }

  result(): number {
    return this.rows === 0 ? 0 : Math.exp(this.crossEntropy / this.rows);
  }

  reset(): void {
    this.crossEntropy = 0;
    this.rows = 0;
  }
}
