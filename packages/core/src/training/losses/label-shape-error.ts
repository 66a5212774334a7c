import { ShapeError, formatShape } from '../../errors.js';

/** The error every loss raises for labels that do not fit the model's output. */
export function labelShapeError(
  loss: string,
  what: string,
  labelShape: readonly number[],
  outputShape: readonly number[],
  expected: string,
): ShapeError {
  return new ShapeError(
    `Loss '${loss}': ${what} has shape ${formatShape(labelShape)}, but the model's output has shape ${formatShape(outputShape)}, ` +
      `so ${what} should have shape ${expected}.`,
  );
}

/** Whether `labels` equals `output`, or equals it without a trailing axis of size 1 (Keras expands such labels). */
export function matchesOutputShape(labels: readonly number[], output: readonly number[]): boolean {
  const same = (a: readonly number[], b: readonly number[]): boolean =>
    a.length === b.length && a.every((d, k) => d === b[k]);
  return same(labels, output) || (output[output.length - 1] === 1 && same(labels, output.slice(0, -1)));
}
