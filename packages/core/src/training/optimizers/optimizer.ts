import type { TensorData } from '../../data/tensor-data.js';
import { ShapeError, ValueError, formatShape } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Variable } from '../../variables/variable.js';
import { gather, nonzeroRows } from '../../ops/indexing.js';
import { square, sum } from '../../ops/index.js';
import { checkClipping, clipGradients, globalClipScale, type ClippingOptions } from './gradient-clipping.js';
import { positiveNumber } from './positive-number.js';
import { updateSelectedRows } from './selected-rows.js';

/** Options every optimizer accepts. */
export interface OptimizerOptions extends ClippingOptions {
  readonly learningRate?: number;
  /**
   * Update only the rows of an embedding table that the batch looked up, with their slots, and
   * leave every other row and its slots as they are (PyTorch's SparseAdam, TF Addons'
   * LazyAdam). A step then costs the rows used instead of the whole vocabulary. It changes the
   * math for optimizers with decaying slots (Adam's moments, RMSprop's average, momentum): a
   * row's slots decay only at the steps that use it. Plain SGD and Adagrad give the same
   * result either way. Other weights are always updated whole. Default false.
   */
  readonly sparseUpdates?: boolean;
}

/** The option names every optimizer accepts; each adds its own. */
export const OPTIMIZER_OPTION_NAMES = [
  'learningRate',
  'sparseUpdates',
  'clipNorm',
  'clipValue',
  'globalClipNorm',
] as const;

/** An optimizer's progress, as host data: enough to resume training exactly. */
export interface OptimizerState {
  /** Number of updates applied so far (Keras `iterations`). */
  readonly step: number;
  /** Slot values keyed `<weight name>/<slot>`, e.g. `lstm/kernel/momentum`. */
  readonly slots: ReadonlyMap<string, TensorData>;
}

/** An optimizer's kind and hyperparameters as JSON, e.g. `{ kind: 'adam', options: { learningRate: 0.001, ... } }`. */
export interface OptimizerConfig {
  readonly kind: string;
  readonly options: Readonly<Record<string, number | boolean>>;
}

/** What an update rule reads and replaces: a weight or slot Variable, or some rows of one. */
export interface UpdateTarget {
  readonly value: Tensor;
  assign(value: Tensor): void;
}

/** A per-weight state tensor an optimizer keeps (Keras calls them optimizer variables). */
export interface SlotSpec {
  readonly name: string;
  readonly initialValue: number;
}

/**
 * Design: an optimizer owns its per-weight state as Variables named after the weight (so a
 * checkpoint can store them by name and a rebuilt model can take them back) and applies one
 * update for all weights inside a single `engine.tidy`, so a step leaves no tensors behind:
 * the new weight and slot values are kept by `Variable.assign`, everything else is released.
 * Each subclass writes its update rule once in core ops, following Keras 3's formulas.
 */
export abstract class Optimizer {
  abstract readonly kind: string;
  learningRate: number;
  readonly clipping: ClippingOptions;
  readonly sparseUpdates: boolean;
  private steps = 0;
  private readonly slotVariables = new Map<string, Variable>();
  private lastLazyRows: ReadonlyMap<Variable, Int32Array> = new Map();
  /** Slot values from `setState` waiting for their weights' first update. */
  private pendingSlots = new Map<string, TensorData>();

  constructor(kind: string, options: OptimizerOptions, defaultLearningRate: number) {
    this.learningRate = positiveNumber(kind, 'learningRate', options.learningRate ?? defaultLearningRate);
    this.clipping = checkClipping(kind, options);
    if (options.sparseUpdates !== undefined && typeof options.sparseUpdates !== 'boolean') {
      throw new ValueError(
        `${kind}: 'sparseUpdates' must be true or false, got ${JSON.stringify(options.sparseUpdates)}.`,
      );
    }
    this.sparseUpdates = options.sparseUpdates ?? false;
  }

  /** Number of updates applied so far. */
  get iterations(): number {
    return this.steps;
  }

  /** The slots this optimizer keeps for every weight, given its options. */
  protected abstract slotSpecs(): readonly SlotSpec[];

  /**
   * Updates one weight from its (clipped) gradient by assigning new values to it and its slots.
   * `step` counts from 1 for the update being applied; `slots` maps slot names to this weight's
   * slots. With `sparseUpdates`, the targets are the looked-up rows only (same rule, fewer rows).
   */
  protected abstract updateWeight(
    weight: UpdateTarget,
    gradient: Tensor,
    slots: ReadonlyMap<string, UpdateTarget>,
    step: number,
  ): void;

  /**
   * The lazy update of `sparseUpdates`: `updateWeight`'s rule on rows `rows` (distinct,
   * ascending) of `weight`, its gradient and its slots. An optimizer whose backend has a fused
   * kernel for it overrides this.
   */
  protected updateRows(
    weight: Variable,
    gradient: Tensor,
    slots: ReadonlyMap<string, Variable>,
    rows: Int32Array,
    step: number,
  ): void {
    updateSelectedRows(weight, gradient, slots, rows, (target, rowsGradient, targetSlots) =>
      this.updateWeight(target, rowsGradient, targetSlots, step),
    );
  }

  /** The hyperparameters besides learning rate and clipping, for `config()`. */
  protected abstract hyperparameters(): Record<string, number | boolean>;

  /**
   * Applies one update to `weights` from `gradients` (same order, same shapes).
   *
   * @example
   * const { value, grads } = valueAndGradients(engine, lossFn, weights.map((w) => w.value));
   * optimizer.apply(grads, weights);
   */
  apply(gradients: readonly Tensor[], weights: readonly Variable[]): void {
    if (gradients.length !== weights.length) {
      throw new ValueError(
        `${this.kind}.apply: got ${gradients.length} gradients for ${weights.length} weights; pass one gradient per weight.`,
      );
    }
    if (weights.length === 0) return;
    const step = this.steps + 1;
    const lazyRows = new Map<Variable, Int32Array>();
    weights[0].engine.tidy(() => {
      const clipped = clipGradients(gradients, this.clipping);
      const globalScaleFinite = this.sparseUpdates && this.globalScaleIsFinite(gradients);
      weights.forEach((weight, k) => {
        if (
          clipped[k].shape.length !== weight.shape.length ||
          clipped[k].shape.some((d, axis) => d !== weight.shape[axis])
        ) {
          throw new ShapeError(
            `${this.kind}.apply: the gradient for '${weight.name}' has shape ${formatShape(clipped[k].shape)}, the weight ${formatShape(weight.shape)}.`,
          );
        }
        const slots = this.slotsFor(weight);
        const rows = globalScaleFinite ? nonzeroRows(gradients[k]) : undefined;
        if (rows === undefined || !this.clipKeepsZeroRows(gradients[k], rows)) {
          this.updateWeight(weight, clipped[k], slots, step);
        } else {
          this.updateRows(weight, clipped[k], slots, rows, step);
          lazyRows.set(weight, rows);
        }
      });
    });
    this.steps = step;
    this.lastLazyRows = lazyRows;
  }

  /**
   * The weights the latest `apply` updated lazily (`sparseUpdates`), with the rows it changed;
   * every other weight it updated whole. Data-parallel training sends workers only those rows.
   */
  get lazilyUpdatedRows(): ReadonlyMap<Variable, Int32Array> {
    return this.lastLazyRows;
  }

  /**
   * Clipping maps zero gradient rows to zero rows, so the unclipped gradient tells which rows a
   * lazy step may skip, except where Keras's clipping makes every element NaN and the full
   * update does the same: under `globalClipNorm` when the global norm is not finite, under
   * `clipNorm` when this gradient's norm is NaN. Then the step is taken whole. (The norms are
   * computed a second time, over the looked-up rows only; only `sparseUpdates` with a norm
   * clip pays for it.)
   */
  private globalScaleIsFinite(gradients: readonly Tensor[]): boolean {
    const limit = this.clipping.globalClipNorm;
    return limit === undefined || Number.isFinite(globalClipScale(gradients, limit).item());
  }

  private clipKeepsZeroRows(gradient: Tensor, rows: Int32Array): boolean {
    if (this.clipping.clipNorm === undefined) return true;
    const looked = gather(gradient, gradient.engine.tensor(rows, [rows.length], 'int32'), 'the looked-up rows');
    return !Number.isNaN(sum(square(looked)).item());
  }

  private slotsFor(weight: Variable): Map<string, Variable> {
    const slots = new Map<string, Variable>();
    for (const spec of this.slotSpecs()) {
      const name = `${weight.name}/${spec.name}`;
      let slot = this.slotVariables.get(name);
      if (slot !== undefined && !sameShape(slot.shape, weight.shape)) {
        throw new ShapeError(
          `${this.kind}: slot '${name}' has shape ${formatShape(slot.shape)} but weight '${weight.name}' now has ${formatShape(weight.shape)}; use a new optimizer for a changed model.`,
        );
      }
      if (slot === undefined) {
        const pending = this.pendingSlots.get(name);
        if (pending !== undefined && !sameShape(pending.shape, weight.shape)) {
          throw new ShapeError(
            `${this.kind}: the restored state '${name}' has shape ${formatShape(pending.shape)}, but weight '${weight.name}' has ${formatShape(weight.shape)}.`,
          );
        }
        this.pendingSlots.delete(name);
        const value =
          pending === undefined
            ? weight.engine.fill(weight.shape, spec.initialValue)
            : weight.engine.tensor(Float32Array.from(pending.values), weight.shape);
        slot = new Variable(name, value, false);
        this.slotVariables.set(name, slot);
      }
      slots.set(spec.name, slot);
    }
    return slots;
  }

  /**
   * The step count and every slot as host data, for checkpoints.
   *
   * @example
   * const state = optimizer.getState(); // { step: 120, slots: Map { 'dense/kernel/momentum' => ... } }
   */
  getState(): OptimizerState {
    const slots = new Map<string, TensorData>(this.pendingSlots);
    for (const [name, slot] of this.slotVariables)
      slots.set(name, { shape: [...slot.shape], values: slot.value.read() });
    return { step: this.steps, slots };
  }

  /**
   * Restores `getState()` output. Slots of weights not updated yet are held on the host and
   * taken up at their first update (so a fresh optimizer can resume before the first step).
   *
   * @example
   * optimizer.setState(savedState);
   */
  setState(state: OptimizerState): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new ValueError(
        `${this.kind}.setState: 'step' must be a non-negative integer, got ${JSON.stringify(state.step)}.`,
      );
    }
    const known = new Set(this.slotSpecs().map((spec) => spec.name));
    for (const name of state.slots.keys()) {
      const slotName = name.slice(name.lastIndexOf('/') + 1);
      if (!known.has(slotName)) {
        throw new ValueError(
          `${this.kind}.setState: '${name}' is not a slot of this optimizer (it keeps: ${[...known].join(', ') || 'none'}). Was the state saved from another optimizer or options?`,
        );
      }
    }
    const pending = new Map<string, TensorData>();
    for (const [name, data] of state.slots) {
      const slot = this.slotVariables.get(name);
      if (slot === undefined) pending.set(name, data);
      else {
        if (!sameShape(slot.shape, data.shape)) {
          throw new ShapeError(
            `${this.kind}.setState: '${name}' has shape ${formatShape(data.shape)} but the slot has ${formatShape(slot.shape)}.`,
          );
        }
        slot.assign(slot.engine.tensor(Float32Array.from(data.values), data.shape));
      }
    }
    this.pendingSlots = pending;
    this.steps = state.step;
  }

  /** Kind and hyperparameters as JSON (see `resolveOptimizer`). */
  config(): OptimizerConfig {
    const sparse: Record<string, boolean> = this.sparseUpdates ? { sparseUpdates: true } : {};
    return {
      kind: this.kind,
      options: { learningRate: this.learningRate, ...sparse, ...this.clipping, ...this.hyperparameters() },
    };
  }

  /** Releases the slot tensors. */
  dispose(): void {
    for (const slot of this.slotVariables.values()) slot.dispose();
    this.slotVariables.clear();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}
