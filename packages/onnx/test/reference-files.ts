import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findReferenceFolder, readOnnxReferenceModel, type OnnxReferenceModel } from '@recur/conformance';

/**
 * The shared reference folder, found as the conformance suite finds it (RECUR_REFERENCE_DIR, or
 * `../shared/reference` beside the repository root): ONNX models exported by PyTorch with their
 * expected outputs (`onnx/`) and the ONNX project's operator tests (`onnx-conformance/`).
 */
export function referencePath(): string {
  const folder = findReferenceFolder();
  if (!folder.found) throw new Error(folder.message);
  return folder.path;
}

export function referenceBytes(...path: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(referencePath(), ...path)));
}

export function loadReferenceModel(name: string): { description: OnnxReferenceModel; bytes: Uint8Array } {
  return readOnnxReferenceModel(referencePath(), name);
}

/** Every PyTorch export the importer must read (issue 4 names all of `onnx/`). */
export const REFERENCE_MODEL_NAMES = [
  'embed_lstm_last_linear',
  'lstm_bidir_2layer_batchfirst',
  'lstm_dynamic_batch_seq',
  'gru_1layer_seqfirst',
  'gru_linear_before_reset_0',
  'rnn_tanh_2layer_batchfirst',
  'rnn_relu_bidir_seqfirst',
] as const;

/** All 12 ONNX node tests the importer must read. */
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
