export { BLOCK_DEPTH, TILE_COLUMNS, TILE_ROWS, heapBase } from './tile-shape';
export { packColumns, packRows } from './pack';
export { multiplyPacked, multiplyRows } from './multiply';
export { activateValues } from './activations';
export { lstmCellBackward, lstmCellForward } from './lstm-cell';
export { lstmSequenceBackward, lstmSequenceForward } from './lstm-sequence';
export { multiplyStored } from './multiply';
export { countNonzeros, sparseRowsTimes, sparseTransposedTimes } from './sparse-products';
export { columnSums, seedRows } from './rows';
