import type { Masking } from '@recur/core';
import { DataType } from '../proto/data-type.js';
import { attribute } from './attributes.js';
import type { GraphBuilder } from './graph-builder.js';

/**
 * Masking in the graph. A step is data when any feature differs from `maskValue`, i.e. when
 * `max |x - maskValue|` over the features is above 0; the output is `x` times that step mask,
 * as in Recur (padding steps become 0). The mask becomes the recurrent operators'
 * `sequence_lens`: the number of data steps in each row. That equals Recur's mask only for
 * post-padded rows (data steps first, padding after), the usual layout; a padding step in the
 * middle of a row would end the row early in ONNX where Recur skips just that step. `input` is
 * `[N, T, F]`, or `[T, N, F]` when the graph runs time-major (`timeAxis` 0).
 */
export function maskingNodes(
  builder: GraphBuilder,
  layer: Masking,
  input: string,
  timeAxis: number,
): { output: string; sequenceLens: string } {
  const name = layer.name;
  const maskValue = builder.initializer(`${name}/mask_value`, {
    dtype: 'float32',
    shape: [],
    data: Float32Array.of(layer.maskValue),
  });
  const zero = builder.initializer(`${name}/zero`, { dtype: 'float32', shape: [], data: new Float32Array(1) });
  const difference = builder.node('Sub', `${name}/Sub`, [input, maskValue], [`${name}/difference`])[0];
  const distance = builder.node('Abs', `${name}/Abs`, [difference], [`${name}/distance`])[0];
  // ReduceMax takes its axes as an attribute up to opset 17 (the export opset).
  const largest = builder.node(
    'ReduceMax',
    `${name}/ReduceMax`,
    [distance],
    [`${name}/largest_distance`],
    [attribute.ints('axes', [2]), attribute.int('keepdims', 1)],
  )[0];
  const isData = builder.node('Greater', `${name}/Greater`, [largest, zero], [`${name}/is_data`])[0];
  const stepMask = builder.node(
    'Cast',
    `${name}/Cast_float`,
    [isData],
    [`${name}/step_mask`],
    [attribute.int('to', DataType.FLOAT)],
  )[0];
  const output = builder.node('Mul', `${name}/Mul`, [input, stepMask], [`${name}/output`])[0];
  const flags = builder.node(
    'Cast',
    `${name}/Cast_int32`,
    [isData],
    [`${name}/step_flags`],
    [attribute.int('to', DataType.INT32)],
  )[0];
  const sequenceLens = builder.node(
    'ReduceSum',
    `${name}/ReduceSum`,
    [flags, builder.int64s([timeAxis, 2])],
    [`${name}/sequence_lens`],
    [attribute.int('keepdims', 0)],
  )[0];
  return { output, sequenceLens };
}
