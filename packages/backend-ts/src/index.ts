export { tsBackend, type TsBackendOptions } from './ts-backend.js';
export type { MatrixKernels, MatrixView } from './matrix-kernels.js';
