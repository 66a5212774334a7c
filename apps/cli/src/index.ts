export { runCli, type CliStreams } from './run-cli.js';
export { loadTrainConfig, type TrainConfig, type TrainOverrides } from './config/train-config.js';
export { trainFromConfig, type TrainRunOptions, type TrainRunResult } from './training/train-from-config.js';
export { openInferenceModel, type InferenceModel } from './inference/inference-model.js';
export { generateText, type GenerateOptions } from './inference/generate-text.js';
export { CliError } from './cli-error.js';
