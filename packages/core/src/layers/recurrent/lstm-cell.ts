import { ValueError } from '../../errors.js';
import type {
  ActivationName,
  FusedSequenceKernel,
  KernelBackend,
  RecurrentCellConfig,
} from '../../backend/kernel-backend.js';
import { initialize } from '../../initializers/initializers.js';
import { activate, add, matmul, mul, reshape, slice, split } from '../../ops/index.js';
import type { RandomGenerator } from '../../random/random-generator.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { WeightSpec } from '../layer.js';
import { oneOf } from '../../option-checks.js';
import { BaseCell, BASE_CELL_OPTION_NAMES, type BaseCellOptions } from './base-cell.js';
import { ACTIVATION_NAMES } from '../../ops/arithmetic.js';
import type { CellWeights, RecurrentCell } from './recurrent-cell.js';

export interface LSTMCellOptions extends BaseCellOptions {
  /** Gate activation; default `sigmoid` (Keras 3; tfjs defaults to hard sigmoid). */
  readonly recurrentActivation?: ActivationName;
  /** Initialise the forget-gate bias to 1 (Jozefowicz et al. 2015); default true. */
  readonly unitForgetBias?: boolean;
  /**
   * Peephole connections (Gers & Schmidhuber 2000), as the ONNX `LSTM` operator's P input
   * defines them; default false. Not a Keras LSTM option: Keras has peepholes only in
   * `tf.keras.experimental.PeepholeLSTMCell`. Adds the weight `peephole_kernel` `[3, H]`
   * (rows i, f, o, as in that cell; initialised with `kernelInitializer`). Backends' fused
   * kernels do not compute peepholes, so such a layer always runs the composite loop.
   */
  readonly peephole?: boolean;
}

const OWN_OPTION_NAMES = ['recurrentActivation', 'unitForgetBias', 'peephole'] as const;
export const LSTM_CELL_OPTION_NAMES = [...BASE_CELL_OPTION_NAMES, ...OWN_OPTION_NAMES] as const;

/**
 * The LSTM cell (Hochreiter & Schmidhuber 1997, with forget gate), Keras layout: kernel
 * `[I, 4H]`, recurrent kernel `[H, 4H]`, bias `[4H]`, gate blocks in the order **i, f, c, o**
 * (Keras's names; the c block holds the cell candidate g). These equations and symbols are the
 * ones every backend's fused LSTM kernel refers to:
 *
 *     z  = x · W + h · U + b                          (z = [z_i, z_f, z_g, z_o], 4H wide)
 *     i  = σ(z_i)   f = σ(z_f)   g = act(z_g)   o = σ(z_o)      (σ = recurrentActivation)
 *     c' = f ⊙ c + i ⊙ g
 *     h' = o ⊙ act(c')
 *
 * With `peephole` (ONNX LSTM's P, weight `peephole_kernel` rows p_i, p_f, p_o), the gates
 * also see the cell state: the previous one for i and f, the new one for o:
 *
 *     i  = σ(z_i + p_i ⊙ c)   f = σ(z_f + p_f ⊙ c)   o = σ(z_o + p_o ⊙ c')
 *
 * @example
 * new RNN({ cell: new LSTMCell({ units: 64 }), returnSequences: true })
 */
export class LSTMCell extends BaseCell implements RecurrentCell {
  readonly kind = 'LSTMCell';
  readonly stateCount = 2;
  readonly recurrentActivation: ActivationName;
  readonly unitForgetBias: boolean;
  readonly peephole: boolean;

  constructor(options: LSTMCellOptions) {
    super('LSTM', 'LSTMCell', options, OWN_OPTION_NAMES);
    this.recurrentActivation = oneOf(
      'LSTM',
      'recurrentActivation',
      options.recurrentActivation ?? 'sigmoid',
      ACTIVATION_NAMES,
    );
    this.unitForgetBias = options.unitForgetBias ?? true;
    if (options.peephole !== undefined && typeof options.peephole !== 'boolean') {
      throw new ValueError(`LSTM: 'peephole' must be true or false, got ${JSON.stringify(options.peephole)}.`);
    }
    this.peephole = options.peephole ?? false;
  }

  get cellConfig(): RecurrentCellConfig {
    return { activation: this.activation, recurrentActivation: this.recurrentActivation };
  }

  weightSpecs(inputSize: number): WeightSpec[] {
    const H = this.units;
    const specs: WeightSpec[] = [
      { name: 'kernel', shape: [inputSize, 4 * H], initializer: this.kernelInitializer, trainable: true },
      { name: 'recurrent_kernel', shape: [H, 4 * H], initializer: this.recurrentInitializer, trainable: true },
    ];
    if (this.useBias) {
      const biasInitializer = this.biasInitializer;
      const initializer = this.unitForgetBias
        ? (_shape: readonly number[], random: RandomGenerator) => {
            // Keras: bias_initializer for i, ones for f, bias_initializer for c and o.
            const values = new Float32Array(4 * H);
            values.set(initialize(biasInitializer, [H], random), 0);
            values.fill(1, H, 2 * H);
            values.set(initialize(biasInitializer, [2 * H], random), 2 * H);
            return values;
          }
        : biasInitializer;
      specs.push({ name: 'bias', shape: [4 * H], initializer, trainable: true });
    }
    if (this.peephole)
      specs.push({ name: 'peephole_kernel', shape: [3, H], initializer: this.kernelInitializer, trainable: true });
    return specs;
  }

  /** No fused kernel computes peepholes: with them, the layer runs the composite loop. */
  fusedKernel(backend: KernelBackend): FusedSequenceKernel | undefined {
    return this.peephole ? undefined : backend.lstmSequence;
  }

  projectInput(x: Tensor, weights: CellWeights): Tensor {
    const projected = matmul(x, weights.kernel);
    return weights.bias === null ? projected : add(projected, weights.bias);
  }

  step(projected: Tensor, [h, c]: readonly Tensor[], weights: CellWeights, recurrentMask: Tensor | null): Tensor[] {
    const hIn = recurrentMask === null ? h : mul(h, recurrentMask);
    const z = add(projected, matmul(hIn, weights.recurrentKernel));
    const [zi, zf, zc, zo] = split(z, 1, this.units);
    const peepholes = this.peephole ? peepholeRows(weights) : null;
    const i = activate(this.recurrentActivation, peepholes === null ? zi : add(zi, mul(peepholes[0], c)));
    const f = activate(this.recurrentActivation, peepholes === null ? zf : add(zf, mul(peepholes[1], c)));
    const candidate = activate(this.activation, zc);
    const cNext = add(mul(f, c), mul(i, candidate));
    const o = activate(this.recurrentActivation, peepholes === null ? zo : add(zo, mul(peepholes[2], cNext)));
    const hNext = mul(o, activate(this.activation, cNext));
    return [hNext, cNext];
  }

  config(): Record<string, unknown> {
    return {
      ...this.baseConfig(),
      recurrentActivation: this.recurrentActivation,
      unitForgetBias: this.unitForgetBias,
      // Only when set, so specs of ordinary LSTMs stay exactly Keras's option set.
      ...(this.peephole ? { peephole: true } : {}),
    };
  }
}

/** The `[H]` peephole vectors p_i, p_f, p_o (rows of `peephole_kernel`). */
function peepholeRows(weights: CellWeights): [Tensor, Tensor, Tensor] {
  const kernel = weights.peepholeKernel;
  if (kernel === undefined || kernel === null)
    throw new ValueError("LSTM with peephole: true needs its 'peephole_kernel' weight; build the layer first.");
  const row = (k: number) => reshape(slice(kernel, [k, 0], [1, -1]), [-1]);
  return [row(0), row(1), row(2)];
}
