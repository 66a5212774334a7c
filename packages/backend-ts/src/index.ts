export { tsBackend, type TsBackendOptions } from './ts-backend.js';
export type { LstmCellBackwardStep, LstmCellForwardStep, MatrixKernels, MatrixView, RowBlock } from './matrix-kernels.js';
