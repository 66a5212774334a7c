import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  decodeSafetensors,
  encodeSafetensors,
  type OptimizerState,
  type Sequential,
  type RandomGenerator,
} from '@recur/core';
import { atomicWriteFile, saveModel } from '@recur/core/io';
import { CliError } from '../cli-error.js';
import type { LossRecord } from './loss-recorder.js';

type RandomSnapshot = ReturnType<RandomGenerator['snapshot']>;

/** Where training stood when it was interrupted: everything needed to continue bit for bit. */
export interface TrainingPosition {
  /** The epoch in progress (0-based). */
  readonly epoch: number;
  /** Batches of that epoch already trained. */
  readonly batchesDone: number;
  /** The generator before the epoch's shuffle: replaying it gives the epoch's batch order. */
  readonly epochStartRandom: RandomSnapshot;
  /** The generator after the last trained batch (dropout masks continue from here). */
  readonly random: RandomSnapshot;
  readonly record: LossRecord;
  /** Running loss and metrics of the unfinished epoch, to merge into its logs. */
  readonly partial: { loss: number; seen: number; metrics: Record<string, number> } | null;
}

/** The run settings a resume must repeat for the result to be the same. */
export interface RunSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
}

interface CheckpointJson extends TrainingPosition {
  readonly format: 'recur-training-checkpoint';
  readonly formatVersion: 1;
  readonly settings: RunSettings;
  readonly optimizerStep: number;
}

const FILES = { model: 'model', optimizer: 'optimizer.safetensors', state: 'state.json' } as const;

/**
 * Writes a training checkpoint folder: `model/` (saveModel, with the CLI metadata),
 * `optimizer.safetensors` (the optimizer's slots) and `state.json` (position, generator
 * snapshots, losses so far). `state.json` is written last, atomically: a folder without it
 * is not a checkpoint, so a crash while saving never leaves a half checkpoint that looks whole.
 *
 * @example
 * await writeCheckpoint('out/model-checkpoint', model, optimizer.getState(), position, settings, metadata);
 */
export async function writeCheckpoint(
  folder: string,
  model: Sequential,
  optimizer: OptimizerState,
  position: TrainingPosition,
  settings: RunSettings,
  metadata: Record<string, string>,
): Promise<void> {
  await mkdir(folder, { recursive: true });
  await saveModel(model, join(folder, FILES.model), { metadata });
  await atomicWriteFile(join(folder, FILES.optimizer), encodeSafetensors(optimizer.slots));
  const json: CheckpointJson = {
    format: 'recur-training-checkpoint',
    formatVersion: 1,
    settings,
    optimizerStep: optimizer.step,
    ...position,
  };
  await atomicWriteFile(join(folder, FILES.state), `${JSON.stringify(json)}\n`);
}

/** A checkpoint read back: the model folder to load, the optimizer state, the position. */
export interface LoadedCheckpoint {
  readonly modelFolder: string;
  readonly optimizer: OptimizerState;
  readonly position: TrainingPosition;
  readonly settings: RunSettings;
}

/**
 * Reads a folder written by `writeCheckpoint`, refusing anything else with a clear message.
 *
 * @example
 * const checkpoint = await readCheckpoint('out/model-checkpoint');
 */
export async function readCheckpoint(folder: string): Promise<LoadedCheckpoint> {
  let text: string;
  try {
    text = await readFile(join(folder, FILES.state), 'utf8');
  } catch {
    throw new CliError(
      `'${folder}' is not a training checkpoint (no ${FILES.state}): pass the folder 'recur train' named when it was interrupted.`,
    );
  }
  let json: CheckpointJson;
  try {
    json = JSON.parse(text) as CheckpointJson;
  } catch {
    throw new CliError(`'${join(folder, FILES.state)}' is not valid JSON; the checkpoint is damaged.`);
  }
  if (json.format !== 'recur-training-checkpoint' || json.formatVersion !== 1) {
    throw new CliError(`'${join(folder, FILES.state)}' is not a Recur training checkpoint (format version 1).`);
  }
  const slots = decodeSafetensors(
    await readFile(join(folder, FILES.optimizer)),
    `'${join(folder, FILES.optimizer)}'`,
  ).tensors;
  const { format: _format, formatVersion: _version, settings, optimizerStep, ...position } = json;
  return { modelFolder: join(folder, FILES.model), optimizer: { step: optimizerStep, slots }, position, settings };
}
