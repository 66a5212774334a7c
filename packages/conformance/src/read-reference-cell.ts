import { readFileSync } from 'node:fs';

/** A tensor in the reference files: row-major `data` of length `prod(shape)`. */
export interface ReferenceTensor {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** PyTorch module kinds of the reference cells. */
export type ReferenceMode = 'LSTM' | 'GRU' | 'RNN_TANH' | 'RNN_RELU';

/** One direction of one stacked layer, in Keras layout. */
export interface KerasWeights {
  readonly kernel: ReferenceTensor;
  readonly recurrent_kernel: ReferenceTensor;
  readonly bias: ReferenceTensor;
}

export interface KerasLayer {
  readonly forward: KerasWeights;
  readonly backward?: KerasWeights;
}

/**
 * The parts of a `cells/*.json` file the suite uses (format in the reference README): a
 * PyTorch recurrent module's config, inputs, upstream gradients, outputs, loss and gradients,
 * with the weights and their gradients in Keras layout.
 */
export interface ReferenceCell {
  readonly format_version: number;
  readonly name: string;
  readonly config: {
    readonly mode: ReferenceMode;
    readonly input_size: number;
    readonly hidden_size: number;
    readonly num_layers: number;
    readonly bidirectional: boolean;
    readonly num_directions: number;
    readonly batch_first: boolean;
    readonly seq_len: number;
    readonly batch: number;
    readonly lengths: readonly number[] | null;
  };
  readonly inputs: Readonly<Record<string, ReferenceTensor>>;
  readonly upstream_grads: Readonly<Record<string, ReferenceTensor>>;
  readonly outputs: Readonly<Record<string, ReferenceTensor>>;
  readonly loss: number;
  readonly grads: Readonly<Record<string, ReferenceTensor>>;
  readonly keras: {
    readonly options: { readonly activation: string; readonly recurrent_activation?: string };
    readonly layers: readonly KerasLayer[];
    readonly grads: readonly KerasLayer[];
  };
}

const MODES: readonly ReferenceMode[] = ['LSTM', 'GRU', 'RNN_TANH', 'RNN_RELU'];

/**
 * Reads and checks one reference cell file, failing with the file's path and the missing or
 * unexpected field instead of a TypeError deep inside a case.
 *
 * @example
 * const cell = readReferenceCell('/work/shared/reference/cells/lstm_l1_uni_sf_h0.json');
 */
export function readReferenceCell(path: string): ReferenceCell {
  let parsed: ReferenceCell;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as ReferenceCell;
  } catch (error) {
    throw new Error(`Cannot read the reference cell ${path}: ${(error as Error).message}`);
  }
  const problem = (what: string) =>
    new Error(
      `Reference cell ${path}: ${what}. Is RECUR_REFERENCE_DIR pointing at the right reference data (format_version 1)?`,
    );
  if (parsed?.format_version !== 1)
    throw problem(`format_version is ${JSON.stringify(parsed?.format_version)}, this suite reads version 1`);
  if (!MODES.includes(parsed.config?.mode))
    throw problem(`config.mode ${JSON.stringify(parsed.config?.mode)} is none of ${MODES.join(', ')}`);
  for (const field of ['inputs', 'upstream_grads', 'outputs', 'grads', 'keras'] as const) {
    if (parsed[field] === null || typeof parsed[field] !== 'object') throw problem(`the '${field}' block is missing`);
  }
  if (!Array.isArray(parsed.keras.layers) || parsed.keras.layers.length !== parsed.config.num_layers) {
    throw problem(`keras.layers must list ${parsed.config.num_layers} layers`);
  }
  return parsed;
}

/** A reference tensor's values rounded to float32, as a backend stores them. */
export function float32Values(tensor: ReferenceTensor): Float32Array {
  return Float32Array.from(tensor.data);
}
