import type { Embedding } from '@recur/core';
import { DataType } from '../proto/data-type.js';
import { attribute } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';
import type { LayerWeights } from './layer-weights.js';

/**
 * Embedding as `Gather(embeddings, ids)`. With `maskZero`, Recur's mask becomes the recurrent
 * operators' `sequence_lens`: the number of non-zero ids in each row, computed in the graph.
 * That equals the mask only for post-padded rows (real tokens first, zeros after), which is
 * how padded batches are normally built; a zero id in the middle of a row would end the row
 * early in ONNX where Recur skips just that step. `ids` are `[N, T]`, or `[T, N]` when the graph
 * runs time-major (`timeAxis` 0): the Gather output keeps their layout.
 */
export function embeddingNodes(
  builder: GraphBuilder,
  layer: Embedding,
  weights: LayerWeights,
  ids: string,
  timeAxis: number,
): { output: string; sequenceLens: string | null } {
  const table = builder.initializer(`${layer.name}/embeddings`, weights.get('embeddings'));
  const output = builder.node(
    'Gather',
    `${layer.name}/Gather`,
    [table, ids],
    [`${layer.name}/output`],
    [attribute.int('axis', 0)],
  )[0];
  if (!layer.maskZero) return { output, sequenceLens: null };
  const zero = builder.initializer(`${layer.name}/padding_id`, { dtype: 'int32', shape: [], data: new Int32Array(1) });
  const isPadding = builder.node('Equal', `${layer.name}/Equal`, [ids, zero], [`${layer.name}/is_padding`])[0];
  const isToken = builder.node('Not', `${layer.name}/Not`, [isPadding], [`${layer.name}/is_token`])[0];
  const counts = builder.node(
    'Cast',
    `${layer.name}/Cast`,
    [isToken],
    [`${layer.name}/token_flags`],
    [attribute.int('to', DataType.INT32)],
  )[0];
  const sequenceLens = builder.node(
    'ReduceSum',
    `${layer.name}/ReduceSum`,
    [counts, builder.int64s([timeAxis])],
    [`${layer.name}/sequence_lens`],
    [attribute.int('keepdims', 0)],
  )[0];
  return { output, sequenceLens };
}
