import type { DataLike } from '../data/tensor-data.js';
import { ValueError } from '../errors.js';
import type { Sequential } from '../models/sequential.js';
import type { History } from '../training/callbacks/history.js';
import type { FitOptions } from '../training/fit.js';
import { DataParallelTrainer, type DataParallelOptions } from './data-parallel-trainer.js';

export interface DataParallelFitOptions extends FitOptions {
  readonly dataParallel: DataParallelOptions;
}

/**
 * `fit` over worker threads: starts a DataParallelTrainer, trains, and terminates the workers
 * whether training ends or fails, so no thread outlives the call.
 *
 * @example
 * const history = await fitDataParallel(model, x, y, {
 *   epochs: 5,
 *   batchSize: 128,
 *   dataParallel: { threads: 2, backend: { module: import.meta.resolve('@recur/backend-ts'), factory: 'tsBackend' } },
 * });
 */
export async function fitDataParallel(
  model: Sequential,
  x: DataLike,
  y: DataLike,
  options: DataParallelFitOptions,
): Promise<History> {
  if (options === null || typeof options !== 'object' || options.dataParallel === undefined) {
    throw new ValueError(
      "fitDataParallel: options need 'dataParallel', e.g. { epochs: 5, dataParallel: { threads: 2, backend: { module, factory } } }.",
    );
  }
  const { dataParallel, ...fitOptions } = options;
  const trainer = await DataParallelTrainer.start(model, dataParallel);
  try {
    return await trainer.fit(x, y, fitOptions);
  } finally {
    await trainer.close();
  }
}
