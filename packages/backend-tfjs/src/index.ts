export { tfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';
export { fromTfjsLayersModel, type FromTfjsLayersOptions, type TfjsLayersImport } from './layers-format/from-tfjs-layers-model.js';
export { loadTfjsLayersModel } from './layers-format/load-tfjs-layers-model.js';
export { toTfjsLayersModel } from './layers-format/to-tfjs-layers-model.js';
export { toTfjsModelFiles, fromTfjsModelFiles, type TfjsModelFiles } from './layers-format/tfjs-model-files.js';
