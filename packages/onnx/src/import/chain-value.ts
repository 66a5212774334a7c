/**
 * What one axis of a value flowing along a Sequential chain means. A recurrent node's outputs
 * keep `directions` and `units` apart until the graph merges them into `features` (Recur's
 * concatenated Bidirectional output); `last step` is a time axis of size 1 left by a Slice.
 */
export type ChainAxis = 'batch' | 'time' | 'features' | 'directions' | 'units' | 'last step';

/**
 * A value on the chain, described by how its axes relate to the value the rebuilt Sequential
 * computes at that point (`[batch, time, features]` or `[batch, features]`), so layout nodes
 * (Transpose, Squeeze, Reshape) only rearrange axes while layers change their meaning.
 */
export interface ChainValue {
  readonly axes: readonly ChainAxis[];
  /** Number of directions while `directions` or `units` is an axis (a recurrent node's output). */
  readonly directions: number;
  readonly units: number;
  /** The layer (index) whose whole output sequence this is, rearranged by layout nodes only; a last-step pick makes that layer return only its last step. */
  readonly sequenceOf: number | null;
  /** The Dense layer (index) whose pre-activation output this is: a constant Add is its bias, an activation its activation. */
  readonly denseOutputOf: number | null;
  /** For a recurrent node's outputs: which layer, and whether this output is the whole sequence (Y) or the final state (Y_h). */
  readonly recurrentOutput: { readonly layer: number; readonly returnSequences: boolean } | null;
  /** Set when continuing the chain from this value cannot be expressed in Recur (the LSTM cell state Y_c): the reason. */
  readonly unusable: string | null;
}

/** A plain chain value (no recurrent or Dense provenance) with these axes. */
export function chainValue(axes: readonly ChainAxis[], from: Partial<ChainValue> = {}): ChainValue {
  return {
    directions: 1,
    units: 0,
    sequenceOf: null,
    denseOutputOf: null,
    recurrentOutput: null,
    unusable: null,
    ...from,
    axes,
  };
}

/** `[time, batch, features]`, for messages. */
export function formatAxes(value: ChainValue): string {
  return `[${value.axes.map((axis) => (axis === 'directions' ? `directions (${value.directions})` : axis)).join(', ')}]`;
}

/** The axes of the Sequential's value at the same point: batch first, directions merged into features. */
export function recurAxes(axes: readonly ChainAxis[]): ChainAxis[] {
  return axes.includes('time') ? ['batch', 'time', 'features'] : ['batch', 'features'];
}

/** Why a layout node cannot be followed; the caller names the node. */
export class LayoutRefusal extends Error {}

/** Transpose: the same meaning, axes permuted (`perm` defaults to reversing them, as in ONNX). */
export function transposeValue(value: ChainValue, perm: readonly number[] | null): ChainValue {
  const order = perm ?? value.axes.map((_, axis) => value.axes.length - 1 - axis);
  if (order.length !== value.axes.length || [...order].sort().some((axis, k) => axis !== k)) {
    throw new LayoutRefusal(
      `perm [${order.join(', ')}] does not permute the ${value.axes.length} axes of ${formatAxes(value)}`,
    );
  }
  return { ...value, axes: order.map((axis) => value.axes[axis]), denseOutputOf: null };
}

/** Removes one size-1 axis: a single direction (its units become the features) or a kept last step. */
function dropAxis(value: ChainValue, axis: number): ChainValue {
  const name = value.axes[axis];
  if (name === 'directions' && value.directions === 1) {
    return {
      ...value,
      axes: value.axes.filter((_, k) => k !== axis).map((other) => (other === 'units' ? 'features' : other)),
      denseOutputOf: null,
    };
  }
  if (name === 'last step') return { ...value, axes: value.axes.filter((_, k) => k !== axis), denseOutputOf: null };
  throw new LayoutRefusal(`it removes the ${name} axis of ${formatAxes(value)}, which is not known to have size 1`);
}

/** Squeeze with explicit axes. */
export function squeezeValue(value: ChainValue, axes: readonly number[] | null): ChainValue {
  if (axes === null || axes.length === 0) throw new LayoutRefusal('a Squeeze without axes depends on the batch size');
  const resolved = axes.map((axis) => (axis < 0 ? axis + value.axes.length : axis)).sort((a, b) => b - a);
  return resolved.reduce(dropAxis, value);
}

/** Reshape that merges trailing `[directions, units]` into features (`[0, ..., 0, -1]`), as exporters write the concatenated directions. */
export function reshapeValue(value: ChainValue, shape: readonly number[]): ChainValue {
  const rank = value.axes.length;
  const merges = rank >= 2 && value.axes[rank - 2] === 'directions' && value.axes[rank - 1] === 'units';
  const keepsLeading = shape.length === rank - 1 && shape.slice(0, -1).every((dimension) => dimension === 0);
  const last = shape[shape.length - 1];
  if (!merges || !keepsLeading || (last !== -1 && last !== value.directions * value.units)) {
    throw new LayoutRefusal(
      `Reshape to [${shape.join(', ')}] of ${formatAxes(value)} is not the merge of directions and units into features ([0, ..., 0, -1])`,
    );
  }
  return { ...value, axes: [...value.axes.slice(0, -2), 'features'], denseOutputOf: null };
}

/** Slice keeping only the last time step (`starts [-1]`, `ends` past the end, step 1). */
export function sliceLastStep(value: ChainValue, axis: number, start: number, end: number, step: number): ChainValue {
  if (value.axes[axis] !== 'time' || start !== -1 || step !== 1 || end < 2 ** 31 - 1) {
    throw new LayoutRefusal(
      `only a Slice keeping the last time step ([-1:]) is recognised; this one slices the ${value.axes[axis] ?? 'missing'} axis of ${formatAxes(value)} from ${start} to ${end} by ${step}`,
    );
  }
  return { ...value, axes: value.axes.map((name, k) => (k === axis ? 'last step' : name)), denseOutputOf: null };
}

/**
 * Gather of one scalar index: the last time step (`-1` on the time axis) or the only direction
 * (`0` / `-1` on a directions axis of size 1).
 */
export function gatherIndex(value: ChainValue, axis: number, index: number): ChainValue {
  const name = value.axes[axis];
  if (name === 'time' && index === -1)
    return { ...value, axes: value.axes.filter((_, k) => k !== axis), denseOutputOf: null };
  if (name === 'directions' && value.directions === 1 && (index === 0 || index === -1)) return dropAxis(value, axis);
  throw new LayoutRefusal(
    `Gather of index ${index} on the ${name ?? 'missing'} axis of ${formatAxes(value)} is neither the last time step nor the only direction`,
  );
}
