import type { Metric, MetricBatch } from './metric.js';
import { OutputRows } from './output-rows.js';

/**
 * Mean squared (`mse`) or mean absolute (`mae`) difference between the model's outputs (as
 * probabilities when an activation was folded) and the labels, over every output of the epoch
 * except those of padded (masked) steps.
 *
 * @example
 * model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
 */
export class MeanError implements Metric {
  readonly direction = 'down';
  private totalError = 0;
  private count = 0;

  constructor(
    readonly name: string,
    private readonly power: 'squared' | 'absolute',
  ) {}

  update(batch: MetricBatch): void {
    const rows = new OutputRows(batch);
    for (let k = 0; k < batch.outputs.length; k++) {
      const weight = rows.weight(Math.floor(k / rows.classes));
      if (weight === 0) continue;
      const difference = rows.probability(k) - batch.labels[k];
      this.totalError += weight * (this.power === 'squared' ? difference * difference : Math.abs(difference));
      this.count += weight;
    }
  }

  result(): number {
    return this.count === 0 ? 0 : this.totalError / this.count;
  }

  reset(): void {
    this.totalError = 0;
    this.count = 0;
  }
}
