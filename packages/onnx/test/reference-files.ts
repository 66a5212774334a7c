import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared reference folder (RECUR_REFERENCE_DIR, or `../shared/reference` beside the
 * repository root): ONNX models exported by PyTorch with their expected outputs (`onnx/`) and
 * the ONNX project's operator tests (`onnx-conformance/`). See its README.
 */
export const referenceDirectory: string =
  process.env.RECUR_REFERENCE_DIR ?? fileURLToPath(new URL('../../../../shared/reference/', import.meta.url));

export interface ReferenceTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly data: number[];
}

export interface ReferenceModelCase {
  readonly inputs: Record<string, ReferenceTensor>;
  readonly expected_outputs: Record<string, ReferenceTensor>;
}

/** The `.json` beside a model in `onnx/` (fields as the reference README documents them). */
export interface ReferenceModel {
  readonly name: string;
  readonly onnx_ops: string[];
  readonly input_names: string[];
  readonly output_names: string[];
  readonly cases: ReferenceModelCase[];
}

export function referenceBytes(...path: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(referenceDirectory, ...path)));
}

export function loadReferenceModel(name: string): { description: ReferenceModel; bytes: Uint8Array } {
  const description = JSON.parse(readFileSync(join(referenceDirectory, 'onnx', `${name}.json`), 'utf8')) as ReferenceModel;
  return { description, bytes: referenceBytes('onnx', `${name}.onnx`) };
}

export const REFERENCE_MODEL_NAMES = [
  'embed_lstm_last_linear',
  'lstm_bidir_2layer_batchfirst',
  'lstm_dynamic_batch_seq',
  'gru_1layer_seqfirst',
  'gru_linear_before_reset_0',
  'rnn_tanh_2layer_batchfirst',
  'rnn_relu_bidir_seqfirst',
] as const;

export const CONFORMANCE_TEST_NAMES = [
  'test_lstm_defaults',
  'test_lstm_with_initial_bias',
  'test_lstm_with_peepholes',
  'test_lstm_batchwise',
  'test_gru_defaults',
  'test_gru_seq_length',
  'test_gru_with_initial_bias',
  'test_gru_batchwise',
  'test_simple_rnn_defaults',
  'test_simple_rnn_with_initial_bias',
  'test_rnn_seq_length',
  'test_simple_rnn_batchwise',
] as const;
