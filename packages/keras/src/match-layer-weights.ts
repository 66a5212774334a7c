import { ShapeError, ValueError, formatShape, type TensorData, type WeightSpec } from '@recur/core';

/** Where a weight sits inside its layer: direction (Bidirectional halves) and short name. */
interface WeightRole {
  readonly direction: 'forward' | 'backward' | '';
  readonly short: string;
}

function roleOf(path: string): WeightRole {
  const segments = path.replace(/:\d+$/, '').split('/');
  const direction = segments.some((segment) => segment.startsWith('forward'))
    ? 'forward'
    : segments.some((segment) => segment.startsWith('backward'))
      ? 'backward'
      : '';
  return { direction, short: segments[segments.length - 1] };
}

/**
 * Finds the file's weights for one layer and returns them under Recur's names.
 *
 * The file names a weight `<layer>/<short>` (tfjs: `lstm_LSTM1/kernel`), with a cell segment
 * from Keras 2 (`lstm/lstm_cell/kernel`) and a direction segment inside Bidirectional
 * (`bidirectional/forward_lstm/recurrent_kernel`); Keras 3 conversions number them instead
 * (`dense/0`), in the layer's weight order. Recur's specs are matched on (direction, short name),
 * or by order when the file numbers them; every spec must be found with its exact shape.
 */
export function matchLayerWeights(
  fileLayerName: string,
  file: ReadonlyMap<string, TensorData>,
  recurLayerName: string,
  specs: readonly WeightSpec[],
  consumed: Set<string>,
): Map<string, TensorData> {
  const prefix = `${fileLayerName}/`;
  const own = [...file.keys()].filter((name) => name.startsWith(prefix));
  const where = `Layer '${fileLayerName}'`;
  if (own.length !== specs.length) {
    throw new ValueError(
      `${where} needs ${specs.length} weight(s) (${specs.map((spec) => spec.name).join(', ') || 'none'}) but the weight manifest holds ${own.length}` +
        `${own.length === 0 ? '' : ` (${own.join(', ')})`}: the weights do not belong to this topology.`,
    );
  }
  const numbered = own.every((name) => /^\d+$/.test(roleOf(name.slice(prefix.length)).short));
  const result = new Map<string, TensorData>();
  specs.forEach((spec, index) => {
    const wanted = roleOf(spec.name);
    const found = numbered
      ? own[index]
      : own.find((name) => {
          const role = roleOf(name.slice(prefix.length));
          return role.short === wanted.short && role.direction === wanted.direction;
        });
    if (found === undefined) {
      throw new ValueError(
        `${where}: the weight manifest has no ${wanted.direction ? `${wanted.direction} ` : ''}'${wanted.short}' (it holds ${own.join(', ')}).`,
      );
    }
    const data = file.get(found)!;
    if (data.shape.length !== spec.shape.length || data.shape.some((size, k) => size !== spec.shape[k])) {
      throw new ShapeError(
        `${where}: weight '${found}' has shape ${formatShape(data.shape)} but the layer's config needs ${formatShape(spec.shape)}.`,
      );
    }
    consumed.add(found);
    result.set(`${recurLayerName}/${spec.name}`, data);
  });
  return result;
}
