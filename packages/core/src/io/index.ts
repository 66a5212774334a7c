/**
 * `@recur/core/io`: a model's files on disk (Node only, it uses `node:fs`). The in-memory forms
 * these files hold (`modelToArtifacts`, safetensors) run anywhere and stay in `@recur/core`.
 */
export { saveModel, type SaveModelOptions } from './save-model.js';
export { loadModel, type LoadedModel } from './load-model.js';
export { atomicWriteFile } from './atomic-write-file.js';
