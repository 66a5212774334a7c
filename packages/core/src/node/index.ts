export { saveModel, type SaveModelOptions } from './save-model.js';
export { loadModel, type LoadedModel } from './load-model.js';
export { atomicWriteFile } from './atomic-write-file.js';
