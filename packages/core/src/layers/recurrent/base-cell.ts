import type { ActivationName } from '../../backend/kernel-backend.js';
import type { InitializerSpec } from '../../initializers/initializers.js';
import { ACTIVATION_NAMES } from '../../ops/arithmetic.js';
import { checkOptionNames, oneOf, positiveInteger, rate } from '../../option-checks.js';

/** Options every recurrent cell takes, with Keras 3's names and defaults. */
export interface BaseCellOptions {
  readonly units: number;
  /** Candidate / output activation; default `tanh`. */
  readonly activation?: ActivationName;
  readonly useBias?: boolean;
  /** Default `glorot_uniform`. */
  readonly kernelInitializer?: InitializerSpec;
  /** Default `orthogonal`. */
  readonly recurrentInitializer?: InitializerSpec;
  /** Default `zeros`. */
  readonly biasInitializer?: InitializerSpec;
  /** Fraction of the input units dropped in training (one mask for all steps). */
  readonly dropout?: number;
  /** Fraction of the recurrent units dropped in training (one mask for all steps). */
  readonly recurrentDropout?: number;
}

export const BASE_CELL_OPTION_NAMES = [
  'units',
  'activation',
  'useBias',
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'dropout',
  'recurrentDropout',
] as const;

/**
 * The options LSTM, GRU and SimpleRNN cells share, read and checked once. `layerKind` names the
 * layer in error messages (`LSTM: 'units' must be ...`).
 */
export abstract class BaseCell {
  readonly units: number;
  readonly activation: ActivationName;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerSpec;
  readonly recurrentInitializer: InitializerSpec;
  readonly biasInitializer: InitializerSpec;
  readonly dropout: number;
  readonly recurrentDropout: number;

  constructor(layerKind: string, cellKind: string, options: BaseCellOptions, ownOptionNames: readonly string[]) {
    checkOptionNames(cellKind, options, [...BASE_CELL_OPTION_NAMES, ...ownOptionNames]);
    this.units = positiveInteger(layerKind, 'units', options.units);
    this.activation = oneOf(layerKind, 'activation', options.activation ?? 'tanh', ACTIVATION_NAMES);
    this.useBias = options.useBias ?? true;
    this.kernelInitializer = options.kernelInitializer ?? 'glorot_uniform';
    this.recurrentInitializer = options.recurrentInitializer ?? 'orthogonal';
    this.biasInitializer = options.biasInitializer ?? 'zeros';
    this.dropout = rate(layerKind, 'dropout', options.dropout ?? 0);
    this.recurrentDropout = rate(layerKind, 'recurrentDropout', options.recurrentDropout ?? 0);
  }

  /** The shared options as JSON; each cell adds its own. */
  protected baseConfig(): Record<string, unknown> {
    return {
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      recurrentInitializer: this.recurrentInitializer,
      biasInitializer: this.biasInitializer,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
    };
  }
}
