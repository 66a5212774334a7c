import { ValueError } from '@recur/core';
import type { TfjsModelArtifacts, TfjsModelJson } from './tfjs-artifacts.js';
import { joinWeightData } from './decode-weight-data.js';

/** A Layers model as files: the parsed `model.json` and the weight files it lists, by path. */
export interface TfjsModelFiles {
  readonly modelJson: TfjsModelJson;
  readonly weightFiles: Map<string, Uint8Array>;
}

/**
 * Lays artifacts out as the files tfjs serves and reads: `model.json` (topology plus a
 * `weightsManifest` pointing at the weight file) and one weight file. Write `modelJson` with
 * `JSON.stringify` next to the weight files; the paths are relative to `model.json`.
 *
 * @example
 * const { modelJson, weightFiles } = toTfjsModelFiles(toTfjsLayersModel(model));
 * await atomicWriteFile(join(folder, 'model.json'), JSON.stringify(modelJson));
 * for (const [path, bytes] of weightFiles) await atomicWriteFile(join(folder, path), bytes);
 */
export function toTfjsModelFiles(
  artifacts: TfjsModelArtifacts,
  options: { weightsFileName?: string } = {},
): TfjsModelFiles {
  if (artifacts.weightSpecs === undefined || artifacts.weightData === undefined)
    throw new ValueError('These artifacts carry no weights to write.');
  const path = options.weightsFileName ?? 'weights.bin';
  const modelJson: TfjsModelJson = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [path], weights: artifacts.weightSpecs }],
  };
  return { modelJson, weightFiles: new Map([[path, joinWeightData(artifacts.weightData)]]) };
}

/**
 * Reads a `model.json` and its weight files (shards in manifest order, as the converter splits
 * them) back into artifacts for `fromTfjsLayersModel`. Paths are looked up as written, then
 * without a leading `./`.
 *
 * @example
 * const modelJson = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8'));
 * const files = new Map(modelJson.weightsManifest.flatMap((group) => group.paths).map((path) => [path, readFileSync(join(folder, path))]));
 * const { spec, weights } = fromTfjsLayersModel(fromTfjsModelFiles(modelJson, files));
 */
export function fromTfjsModelFiles(
  modelJson: TfjsModelJson,
  weightFiles: ReadonlyMap<string, Uint8Array>,
): TfjsModelArtifacts {
  if (modelJson === null || typeof modelJson !== 'object' || !Array.isArray(modelJson.weightsManifest)) {
    throw new ValueError("model.json has no 'weightsManifest' list: is it a tfjs model.json?");
  }
  const shards = modelJson.weightsManifest.flatMap((group) =>
    group.paths.map((path) => {
      const bytes = weightFiles.get(path) ?? weightFiles.get(path.replace(/^\.\//, ''));
      if (bytes === undefined)
        throw new ValueError(
          `model.json lists the weight file '${path}', which was not given (given: ${[...weightFiles.keys()].join(', ') || 'none'}).`,
        );
      return bytes;
    }),
  );
  return {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
    // Copies, so the artifacts own plain ArrayBuffers whatever the files were views of.
    weightData: shards.map((bytes) => new Uint8Array(bytes).buffer),
  };
}
