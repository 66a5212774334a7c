import { ValueError, sizeOf, type TensorData } from '@recur/core';
import type { TfjsWeightsManifestEntry, TfjsWeightData } from './tfjs-artifacts.js';

const BYTES: Record<string, number> = { float32: 4, uint8: 1, uint16: 2, float16: 2 };

/** Joins tfjs's `WeightData` (one buffer, or shards in order) into one byte view. */
export function joinWeightData(data: TfjsWeightData): Uint8Array {
  const parts = (Array.isArray(data) ? data : [data]).map((buffer) => new Uint8Array(buffer));
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** IEEE 754 half precision bits -> number (the converter's `--quantize_float16`). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * Cuts the concatenated weight bytes of a Layers-format model into named float32 arrays, in
 * manifest order (every weight follows the previous one, little-endian). Quantized weights
 * (`tensorflowjs_converter --quantize_uint8 / uint16 / float16`) are expanded as tfjs does:
 * `value = q * scale + min`, or the half-precision value. Optimizer state (group `optimizer`)
 * is skipped: it is not part of the model.
 *
 * @example
 * const weights = decodeWeightData(artifacts.weightSpecs, joinWeightData(artifacts.weightData));
 */
export function decodeWeightData(
  specs: readonly TfjsWeightsManifestEntry[],
  bytes: Uint8Array,
): Map<string, TensorData> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const weights = new Map<string, TensorData>();
  let offset = 0;
  for (const spec of specs) {
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const width = BYTES[stored];
    if (width === undefined || (spec.quantization === undefined && spec.dtype !== 'float32')) {
      throw new ValueError(
        `Weight '${spec.name}' is stored as ${stored}; Recur reads float32 weights (or uint8 / uint16 / float16 quantized ones).`,
      );
    }
    const size = sizeOf(spec.shape);
    const end = offset + size * width;
    if (end > bytes.length) {
      throw new ValueError(
        `The weight data ends at byte ${bytes.length} but weight '${spec.name}' ${JSON.stringify(spec.shape)} needs bytes ${offset} to ${end}: ` +
          'a weight file is missing or truncated.',
      );
    }
    const values = new Float32Array(size);
    const scale = spec.quantization?.scale ?? 1;
    const min = spec.quantization?.min ?? 0;
    for (let k = 0; k < size; k++) {
      const at = offset + k * width;
      if (stored === 'float32') values[k] = view.getFloat32(at, true);
      else if (stored === 'float16') values[k] = halfToNumber(view.getUint16(at, true));
      else values[k] = (stored === 'uint8' ? view.getUint8(at) : view.getUint16(at, true)) * scale + min;
    }
    offset = end;
    if (spec.group !== 'optimizer') weights.set(spec.name, { shape: [...spec.shape], values });
  }
  if (offset !== bytes.length) {
    throw new ValueError(
      `The weight data holds ${bytes.length} bytes but the manifest describes ${offset}: the weight files do not belong to this model.json.`,
    );
  }
  return weights;
}
