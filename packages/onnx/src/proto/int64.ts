import { OnnxFormatError } from '../onnx-errors.js';
import type { Int64 } from './onnx-messages.js';

const TWO_TO_32 = 4294967296;

/**
 * An int64 field as a JavaScript number. Values beyond ±2^53 are clamped to ±2^53 when
 * `clamp` is set: exporters write INT64_MAX / INT64_MIN as "to the end" sentinels (Slice ends),
 * and any index or size that large is out of range anyway. Otherwise they are an error naming
 * `what`.
 */
export function int64ToNumber(value: Int64 | undefined | null, what: string, clamp = false): number {
  if (value === undefined || value === null) return 0;
  let result: number;
  if (typeof value === 'number') {
    result = value;
  } else if (typeof value === 'object' && typeof value.low === 'number' && typeof value.high === 'number') {
    const low = value.low >>> 0;
    result = value.unsigned === true ? (value.high >>> 0) * TWO_TO_32 + low : value.high * TWO_TO_32 + low;
  } else {
    throw new OnnxFormatError(`${what}: expected an int64, got ${JSON.stringify(value)}.`);
  }
  if (!Number.isSafeInteger(result)) {
    if (clamp && !Number.isNaN(result)) return result > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
    throw new OnnxFormatError(
      `${what}: the int64 value ${result} is beyond the range JavaScript numbers hold exactly (±2^53).`,
    );
  }
  return result;
}
