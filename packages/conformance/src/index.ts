export { runConformanceSuite, type ConformanceSuiteOptions } from './run-conformance-suite.js';
export { runGraphBackendSuite, type GraphBackendSuiteOptions } from './run-graph-backend-suite.js';
export { graphModelCases, type GraphModelCase } from './graph-model-cases.js';
export { readExclusions } from './read-exclusions.js';
export { findReferenceFolder, type ReferenceFolder } from './reference-folder.js';
export {
  listOnnxReferenceModels,
  readOnnxReferenceModel,
  type OnnxReferenceCase,
  type OnnxReferenceModel,
} from './read-onnx-reference-model.js';
export { listOnnxNodeTests, readOnnxNodeTest, type OnnxNodeTest } from './read-onnx-node-test.js';
export type { ReferenceTensor } from './read-reference-cell.js';
export {
  checkDirectionalDerivatives,
  assertDirectionalDerivatives,
  type DifferentiableFunction,
  type DirectionalCheck,
} from './finite-difference.js';
export type { Tolerance } from './tolerances.js';
