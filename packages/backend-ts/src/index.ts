export { tsBackend, type TsBackendOptions } from './ts-backend.js';
export type {
  LstmCellBackwardStep,
  LstmCellForwardStep,
  LstmSequenceBackwardPass,
  LstmSequenceForwardPass,
  LstmSequenceWeights,
  MatrixKernels,
  MatrixView,
  RowBlock,
} from './matrix-kernels.js';
