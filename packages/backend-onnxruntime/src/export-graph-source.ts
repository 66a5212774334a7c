import { Sequential, ValueError, type GraphSource, type ModelWithWeights } from '@recur/core';
import { METADATA_KEYS, decodeModel, exportOnnx } from '@recur/onnx';

/** ONNX bytes ready for a runtime session, and the Recur model they came from when known. */
export interface ExportedGraph {
  readonly bytes: Uint8Array;
  /**
   * The model's layers (weights not needed), used for checks the runtime cannot make with a
   * clear message: token ids in range, layers that cannot stream. Null for foreign ONNX files.
   */
  readonly structure: Sequential | null;
  /** The graph's `metadata_props` by key (see `CompiledModel.metadata`). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Turns any GraphSource into ONNX bytes. Recur models are exported with `exposeState`, so the
 * same session serves `predict` (zero initial state) and step-by-step streams.
 *
 * @example
 * const { bytes } = exportGraphSource(model);
 * const session = await InferenceSession.create(bytes);
 */
export function exportGraphSource(source: GraphSource): ExportedGraph {
  if (source instanceof Sequential)
    return { bytes: exportOnnx(source, { exposeState: true }), structure: source, metadata: {} };
  if (source instanceof Uint8Array) {
    const metadata = readMetadata(source);
    return { bytes: source, structure: structureFromMetadata(metadata), metadata };
  }
  // exportOnnx checks the weights against the spec (missing, unknown, misshaped) by name.
  if (isModelWithWeights(source))
    return {
      bytes: exportOnnx(source, { exposeState: true }),
      structure: Sequential.fromSpec(source.spec),
      metadata: {},
    };
  throw new ValueError(
    `compile expects a built Sequential model, { spec, weights } (as saved by Recur) or ONNX bytes as a Uint8Array; got ${describe(source)}. ` +
      'For an ArrayBuffer from fetch, pass new Uint8Array(buffer).',
  );
}

function isModelWithWeights(source: unknown): source is ModelWithWeights {
  return source !== null && typeof source === 'object' && 'spec' in source && 'weights' in source;
}

/** The file's `metadata_props`; decoding also refuses bytes that are not an ONNX model, with the reason. */
function readMetadata(bytes: Uint8Array): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const { key, value } of decodeModel(bytes).metadataProps ?? [])
    if (key !== undefined) metadata[key] = value ?? '';
  return metadata;
}

/**
 * The Recur model spec stored in a Recur export's metadata. A file without one (made elsewhere),
 * or with a spec this version of core cannot read, still runs: only the extra checks are lost.
 */
function structureFromMetadata(metadata: Readonly<Record<string, string>>): Sequential | null {
  const spec = metadata[METADATA_KEYS.modelSpec];
  if (spec === undefined) return null;
  try {
    return Sequential.fromSpec(JSON.parse(spec));
  } catch {
    return null;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'an object';
}
