/** `@recur/core/parallel`: data-parallel training over worker threads (Node only, it uses `node:worker_threads`). */
export { DataParallelTrainer, type DataParallelOptions } from './data-parallel-trainer.js';
export { fitDataParallel, type DataParallelFitOptions } from './fit-data-parallel.js';
export type { WorkerBackendSpec } from './data-parallel-protocol.js';
