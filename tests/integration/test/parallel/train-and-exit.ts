// Run by data-parallel.test.ts in a child Node process: trains with worker threads and then simply
// returns from the script. The child must exit by itself, which it cannot while a worker thread
// is alive and referenced. Mode 'fit' uses fitDataParallel; mode 'forgotten' starts a trainer,
// steps once and never closes it.
import { Dense, Sequential } from '@recur/core';
import { DataParallelTrainer, fitDataParallel } from '@recur/core/parallel';
import { tsBackend } from '@recur/backend-ts';

const mode = process.argv[2];
const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]).compile({
  optimizer: 'sgd',
  loss: 'mse',
  backend: tsBackend(),
  seed: 1,
});
const x = [
  [1, 2],
  [3, 4],
  [5, 6],
  [7, 8],
];
const y = [[1], [2], [3], [4]];
const dataParallel = {
  threads: 2,
  backend: { module: import.meta.resolve('@recur/backend-ts'), factory: 'tsBackend' },
};
if (mode === 'fit') {
  await fitDataParallel(model, x, y, { epochs: 2, batchSize: 4, dataParallel });
} else if (mode === 'forgotten') {
  const trainer = await DataParallelTrainer.start(model, dataParallel);
  await trainer.trainOnBatch(x, y);
} else {
  throw new Error(`unknown mode '${mode}'`);
}
console.log(`trained (${mode})`);
