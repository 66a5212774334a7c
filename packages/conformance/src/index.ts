export { runConformanceSuite, type ConformanceSuiteOptions } from './run-conformance-suite.js';
export { readExclusions } from './read-exclusions.js';
export { findReferenceFolder, type ReferenceFolder } from './reference-folder.js';
export { checkDirectionalDerivatives, assertDirectionalDerivatives, type DifferentiableFunction, type DirectionalCheck } from './finite-difference.js';
export type { Tolerance } from './tolerances.js';
