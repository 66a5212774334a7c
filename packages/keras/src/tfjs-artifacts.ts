/**
 * Design: the tfjs Layers format's in-memory shapes, written here so that reading and writing
 * `model.json` needs no tfjs at all. They are the subset of `tf.io.ModelArtifacts`,
 * `tf.io.ModelJSON` and `tf.io.WeightsManifestEntry` this package reads and writes, with the same
 * field types, so a value passes between tfjs and Recur in both directions without a cast
 * (`tf.io.fromMemory(toTfjsLayersModel(model))`, `fromTfjsLayersModel(artifactsFromSave)`).
 */

/** One weight in the manifest: its name, shape and stored type, in file order. */
export interface TfjsWeightsManifestEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool' | 'string' | 'complex64';
  group?: 'model' | 'optimizer';
  /** `tensorflowjs_converter --quantize_*`: stored as `dtype`, read back as `q * scale + min`. */
  quantization?: { scale?: number; min?: number; dtype: 'uint16' | 'uint8' | 'float16' };
}

/** The weight bytes: one buffer, or the shards in manifest order. */
export type TfjsWeightData = ArrayBuffer | ArrayBuffer[];

/** A model as tfjs hands it to a save handler and takes it from `tf.io.fromMemory`. */
export interface TfjsModelArtifacts {
  modelTopology?: object | ArrayBuffer;
  weightSpecs?: TfjsWeightsManifestEntry[];
  weightData?: TfjsWeightData;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** The parsed `model.json` file: the topology and a manifest of weight files. */
export interface TfjsModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: TfjsWeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}
