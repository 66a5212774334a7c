import { OnnxUnsupportedError } from '../../onnx-errors.js';
import { recurrentNodeOptions } from '../recurrent-node-description.js';
import { isRecurrentOpType } from '../../recurrent-operators.js';
import type { OnnxNode } from '../onnx-graph.js';
import type { OpCompiler } from './compiled-op.js';
import { recurrentOp } from './recurrent-op.js';
import { mathOps } from './math-ops.js';
import { structureOps } from './structure-ops.js';

/** Every operator the importer runs, by ONNX op type. */
export const OP_TABLE: Readonly<Record<string, OpCompiler>> = {
  ...structureOps,
  ...mathOps,
  LSTM: recurrentOp,
  GRU: recurrentOp,
  RNN: recurrentOp,
};

/** The lowest opset whose operator semantics the op table implements. */
const MINIMUM_OPSET = 7;

/** Throws a clear error, naming the node and its operator, when the importer cannot run it. */
export function checkOperator(node: OnnxNode, opset: number): void {
  if (opset < MINIMUM_OPSET) {
    throw new OnnxUnsupportedError(
      `The ONNX model uses operator set ${opset}; Recur imports opset ${MINIMUM_OPSET} and newer. Convert it with onnx.version_converter.`,
    );
  }
  if (OP_TABLE[node.opType] === undefined) {
    throw new OnnxUnsupportedError(
      `The ONNX graph's ${node.label}: operator '${node.opType}' is not supported by Recur's importer. Supported: ${Object.keys(OP_TABLE).sort().join(', ')}.`,
    );
  }
}

/**
 * Checks the attributes of nodes whose support depends on them (recurrent nodes: clip,
 * input_forget, activations), so importOnnx refuses such a model at once rather than when it
 * first runs.
 */
export function checkNodeAttributes(node: OnnxNode): void {
  if (isRecurrentOpType(node.opType)) recurrentNodeOptions(node);
}
