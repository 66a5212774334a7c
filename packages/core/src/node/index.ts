export { saveModel, type SaveModelOptions } from './save-model.js';
export { loadModel, type LoadedModel } from './load-model.js';
export { atomicWriteFile } from './atomic-write-file.js';
export { DataParallelTrainer, type DataParallelOptions } from './data-parallel-trainer.js';
export { fitDataParallel, type DataParallelFitOptions } from './fit-data-parallel.js';
export type { WorkerBackendSpec } from './data-parallel-protocol.js';
