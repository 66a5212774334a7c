export { fromTfjsLayersModel, type FromTfjsLayersOptions, type TfjsLayersImport } from './from-tfjs-layers-model.js';
export { loadTfjsLayersModel } from './load-tfjs-layers-model.js';
export { toTfjsLayersModel } from './to-tfjs-layers-model.js';
export { toTfjsModelFiles, fromTfjsModelFiles, type TfjsModelFiles } from './tfjs-model-files.js';
export type { TfjsModelArtifacts, TfjsModelJson, TfjsWeightsManifestEntry, TfjsWeightData } from './tfjs-artifacts.js';
