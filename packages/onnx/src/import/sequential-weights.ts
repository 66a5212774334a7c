import { Bidirectional, Sequential, ValueError, type ModelSpec, type TensorData } from '@recur/core';
import { OnnxUnsupportedError } from '../onnx-errors.js';
import type { HostTensor } from '../proto/host-tensor.js';
import { isRecurrentOpType } from '../recurrent-operators.js';
import { readFloat, readInt } from './node-attributes.js';
import { describeRecurrentNode, initializerResolver, recurrentNodeOptions } from './recurrent-node-description.js';
import type { OnnxGraph } from './onnx-graph.js';

/** The weights one layer takes, by short name, per direction for recurrent nodes, and the node(s) they came from. */
export type WeightGroup = { readonly source: string; readonly directions: readonly ReadonlyMap<string, HostTensor>[] };

/**
 * The weight-carrying nodes of a Recur-exported graph, in graph order: Gather on a constant
 * table (Embedding), LSTM / GRU / RNN (one map per direction, in Keras layout), Gemm on a
 * constant B (Dense kernel) and C (Dense bias), and MatMul on a constant (Dense kernel) with the
 * Add of a constant right after it (Dense bias).
 */
export function recurExportWeightGroups(graph: OnnxGraph): WeightGroup[] {
  const groups: WeightGroup[] = [];
  const constant = (name: string | undefined) => (name === undefined ? undefined : graph.initializers.get(name));
  graph.nodes.forEach((node, k) => {
    if (node.opType === 'Gather' && constant(node.inputs[0]) !== undefined) {
      groups.push({ source: node.label, directions: [new Map([['embeddings', constant(node.inputs[0])!]])] });
    } else if (isRecurrentOpType(node.opType)) {
      const resolver = initializerResolver(node, graph);
      if (resolver === null)
        throw new OnnxUnsupportedError(
          `The ONNX graph's ${node.label} takes its weights as graph inputs; a Sequential model needs them as constants.`,
        );
      const description = describeRecurrentNode(node, recurrentNodeOptions(node), resolver);
      groups.push({ source: node.label, directions: description.directions.map((direction) => direction.weights) });
    } else if (node.opType === 'Gemm' && constant(node.inputs[1]) !== undefined) {
      if (
        readInt(node, 'transA', 0) !== 0 ||
        readInt(node, 'transB', 0) !== 0 ||
        readFloat(node, 'alpha', 1) !== 1 ||
        readFloat(node, 'beta', 1) !== 1
      ) {
        throw new OnnxUnsupportedError(
          `The ONNX graph's ${node.label} sets transA, transB, alpha or beta, which Recur's export never writes for a Dense layer (x W + b); the file was changed after export.`,
        );
      }
      const weights = new Map([['kernel', constant(node.inputs[1])!]]);
      if (constant(node.inputs[2]) !== undefined) weights.set('bias', constant(node.inputs[2])!);
      groups.push({ source: node.label, directions: [weights] });
    } else if (node.opType === 'MatMul' && constant(node.inputs[1]) !== undefined) {
      const weights = new Map([['kernel', constant(node.inputs[1])!]]);
      const next = graph.nodes[k + 1];
      if (next?.opType === 'Add' && next.inputs[0] === node.outputs[0] && constant(next.inputs[1]) !== undefined)
        weights.set('bias', constant(next.inputs[1])!);
      groups.push({ source: node.label, directions: [weights] });
    }
  });
  return groups;
}

/**
 * Keras-layout weights named as Recur's `getWeights` names them (`lstm/kernel`,
 * `bidirectional/backward_lstm/bias`, ...): the model spec says which layers own weights and
 * their shapes; `groups` (one per layer with weights, in layer order) supply the values. For a
 * Recur export the spec comes from `metadata_props` and the groups from
 * `recurExportWeightGroups`; for a recognised foreign chain both come from `sequentialChain`.
 */
export function sequentialWeights(spec: ModelSpec, groups: readonly WeightGroup[]): Map<string, TensorData> {
  const model = Sequential.fromSpec(spec);
  const weights = new Map<string, TensorData>();
  let next = 0;
  model.layers.forEach((layer, k) => {
    const specs = layer.weightSpecs(model.shapes[k]);
    if (specs.length === 0) return;
    const group = groups[next++];
    if (group === undefined)
      throw new OnnxUnsupportedError(
        `The ONNX graph has no weights for layer '${layer.name}' (${layer.kind}) of the model spec.`,
      );
    for (const weightSpec of specs) {
      const direction = layer instanceof Bidirectional && weightSpec.name.startsWith('backward_') ? 1 : 0;
      const shortName = weightSpec.name.slice(weightSpec.name.lastIndexOf('/') + 1);
      const value = group.directions[direction]?.get(shortName);
      const fullName = `${layer.name}/${weightSpec.name}`;
      if (value === undefined || value.shape.join() !== weightSpec.shape.join()) {
        throw new ValueError(
          `The ONNX graph's ${group.source} does not hold weight '${fullName}' of shape [${weightSpec.shape.join(', ')}] that the model spec describes.`,
        );
      }
      weights.set(fullName, { shape: [...value.shape], values: Float32Array.from(value.data) });
    }
  });
  if (next !== groups.length)
    throw new ValueError(
      `The ONNX graph has ${groups.length} weight-carrying nodes but its model spec has ${next} layers with weights.`,
    );
  return weights;
}
