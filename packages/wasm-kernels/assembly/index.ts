export { BLOCK_DEPTH, TILE_COLUMNS, TILE_ROWS, heapBase } from './tile-shape';
export { packColumns, packRows } from './pack';
export { multiplyPacked, multiplyRows } from './multiply';
export { activateValues } from './activations';
export { lstmCellBackward, lstmCellForward } from './lstm-cell';
