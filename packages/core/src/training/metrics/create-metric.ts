import { ValueError } from '../../errors.js';
import type { Loss } from '../losses/loss.js';
import { Accuracy } from './accuracy.js';
import { MeanError } from './mean-error.js';
import type { Metric } from './metric.js';
import { Perplexity } from './perplexity.js';

/** Metric names `compile({ metrics })` accepts, as Keras spells them. */
export const METRIC_NAMES = [
  'accuracy',
  'acc',
  'perplexity',
  'mse',
  'mean_squared_error',
  'mae',
  'mean_absolute_error',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** A fresh (zeroed) metric by name; the loss decides which labels it will see. */
export function createMetric(name: string, loss: Loss): Metric {
  switch (name) {
    case 'accuracy':
    case 'acc':
      return new Accuracy(name);
    case 'perplexity':
      if (loss.labelKind !== 'sparse' && loss.labelKind !== 'categorical') {
        throw new ValueError(
          `compile: metric 'perplexity' needs a categorical cross-entropy loss, but the loss is '${loss.name}'.`,
        );
      }
      return new Perplexity();
    case 'mse':
    case 'mean_squared_error':
    case 'mae':
    case 'mean_absolute_error':
      if (loss.labelKind === 'sparse') {
        throw new ValueError(
          `compile: metric '${name}' compares outputs with labels of the same shape, but '${loss.name}' takes class ids. Use 'accuracy' or 'perplexity'.`,
        );
      }
      return new MeanError(name, name === 'mse' || name === 'mean_squared_error' ? 'squared' : 'absolute');
    default:
      throw new ValueError(`compile: unknown metric ${JSON.stringify(name)}. Use one of: ${METRIC_NAMES.join(', ')}.`);
  }
}
