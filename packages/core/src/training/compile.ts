import type { KernelBackend } from '../backend/kernel-backend.js';
import { ValueError } from '../errors.js';
import { checkOptionNames } from '../option-checks.js';
import type { Sequential } from '../models/sequential.js';
import type { Loss, LossName } from './losses/loss.js';
import { resolveLoss } from './losses/resolve-loss.js';
import { createMetric } from './metrics/create-metric.js';
import type { Optimizer, OptimizerConfig } from './optimizers/optimizer.js';
import { resolveOptimizer } from './optimizers/resolve-optimizer.js';

export interface CompileOptions {
  /** A name (`'adam'`, `'sgd'`, `'rmsprop'`, `'adagrad'`, Keras defaults), a config, or an instance. Default `'rmsprop'` (as Keras). */
  readonly optimizer?: string | OptimizerConfig | Optimizer;
  /** A Keras loss name (`'sparse_categorical_crossentropy'`, `'mse'`, ...) or a Loss. */
  readonly loss: LossName | 'mse' | Loss;
  /** Metric names for the logs: `'accuracy'`, `'perplexity'`, `'mse'`, `'mae'`. */
  readonly metrics?: readonly string[];
  /** Builds the model on this backend if it is not built yet. */
  readonly backend?: KernelBackend;
  /** Seed for that build (initial weights, dropout, shuffling). Default 42. */
  readonly seed?: number;
}

/** What `compile` settles: the pieces fit and evaluate train and measure with. */
export interface TrainingSetup {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metricNames: readonly string[];
}

/**
 * Resolves `compile` options into a TrainingSetup, building the model first when a backend is
 * given. Metric names are checked against the loss here, so a mismatch fails at compile time.
 */
export function compileModel(model: Sequential, options: CompileOptions): TrainingSetup {
  if (options === null || typeof options !== 'object')
    throw new ValueError("compile needs options, e.g. { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' }.");
  checkOptionNames('compile', options, ['optimizer', 'loss', 'metrics', 'backend', 'seed']);
  if (options.loss === undefined)
    throw new ValueError("compile: 'loss' is required, e.g. loss: 'sparse_categorical_crossentropy'.");
  const loss = resolveLoss(options.loss);
  const optimizer = resolveOptimizer(options.optimizer ?? 'rmsprop');
  const metricNames = [...(options.metrics ?? [])];
  if (!Array.isArray(options.metrics ?? []))
    throw new ValueError("compile: 'metrics' must be an array of names, e.g. ['accuracy'].");
  for (const name of metricNames) createMetric(name, loss);
  if (new Set(metricNames).size !== metricNames.length)
    throw new ValueError(`compile: 'metrics' lists a name twice: ${metricNames.join(', ')}.`);
  if (options.backend !== undefined) {
    if (!model.isBuilt) model.build({ backend: options.backend, seed: options.seed });
    else if (model.engine.backend !== options.backend) {
      throw new ValueError(
        `compile: model '${model.name}' is already built on backend '${model.engine.backend.name}'; call model.build({ backend }) to move it, then compile without 'backend'.`,
      );
    } else if (options.seed !== undefined) {
      throw new ValueError(
        `compile: model '${model.name}' is already built, so 'seed' has no effect; pass the seed to build() or leave it out.`,
      );
    }
  } else if (options.seed !== undefined && !model.isBuilt) {
    throw new ValueError("compile: 'seed' applies when compile builds the model; pass 'backend' too.");
  }
  return { optimizer, loss, metricNames };
}
