export * from './backend/kernel-backend.js';
export * from './backend/graph-backend.js';
export * from './errors.js';
export { Engine } from './engine/engine.js';
export { Tensor } from './tensor/tensor.js';
export { sizeOf, broadcastShapes, stridesOf } from './tensor/shape.js';
export { valueAndGradients, type ValueAndGradients } from './autodiff/gradients.js';
export * as ops from './ops/index.js';
export { Variable } from './variables/variable.js';
export { RandomGenerator } from './random/random-generator.js';
export {
  initialize,
  INITIALIZER_NAMES,
  type InitializerName,
  type InitializerSpec,
} from './initializers/initializers.js';
export * from './layers/index.js';
export { toTensorData, takeRows, type TensorData, type DataLike, type NestedArray } from './data/tensor-data.js';
export {
  Sequential,
  type ModelSpec,
  type SequentialOptions,
  type BuildOptions,
  type ForwardResult,
} from './models/sequential.js';
export { formatSummary, type SummaryRow } from './models/summary.js';
export { SequenceStream } from './models/sequence-stream.js';
export { encodeSafetensors, decodeSafetensors, type SafetensorsContent } from './io/safetensors.js';
export { modelToArtifacts, modelFromArtifacts, RECUR_VERSION_KEY, type ModelArtifacts } from './io/model-artifacts.js';
export { RECUR_VERSION } from './io/recur-version.js';
export { CharVocabulary, type CharVocabularyOptions, type CharVocabularyJson } from './text/char-vocabulary.js';
export { windowText, type WindowTextOptions, type TextWindows } from './text/window-text.js';
export { oneHot } from './text/one-hot.js';
export { sampleWithTemperature, type SampleOptions } from './text/sample-with-temperature.js';
export { KERAS_EPSILON, type Loss, type LossName, type LabelKind } from './training/losses/loss.js';
export { categoricalCrossentropy } from './training/losses/categorical-crossentropy.js';
export { sparseCategoricalCrossentropy } from './training/losses/sparse-categorical-crossentropy.js';
export { binaryCrossentropy } from './training/losses/binary-crossentropy.js';
export { meanSquaredError } from './training/losses/mean-squared-error.js';
export { resolveLoss } from './training/losses/resolve-loss.js';
export type { Metric, MetricBatch } from './training/metrics/metric.js';
export { Accuracy } from './training/metrics/accuracy.js';
export { Perplexity } from './training/metrics/perplexity.js';
export { MeanError } from './training/metrics/mean-error.js';
export { createMetric, METRIC_NAMES, type MetricName } from './training/metrics/create-metric.js';
export {
  Optimizer,
  type OptimizerOptions,
  type OptimizerState,
  type OptimizerConfig,
  type SlotSpec,
  type UpdateTarget,
} from './training/optimizers/optimizer.js';
export { clipGradients, type ClippingOptions } from './training/optimizers/gradient-clipping.js';
export { SGD, type SGDOptions } from './training/optimizers/sgd.js';
export { RMSprop, type RMSpropOptions } from './training/optimizers/rmsprop.js';
export { Adagrad, type AdagradOptions } from './training/optimizers/adagrad.js';
export { Adam, type AdamOptions } from './training/optimizers/adam.js';
export { resolveOptimizer } from './training/optimizers/resolve-optimizer.js';
export { Callback, type Logs, type TrainingParams } from './training/callbacks/callback.js';
export { History } from './training/callbacks/history.js';
export { EarlyStopping, type EarlyStoppingOptions } from './training/callbacks/early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointOptions, type SaveModel } from './training/callbacks/model-checkpoint.js';
export { TerminateOnNaN } from './training/callbacks/terminate-on-nan.js';
export { LambdaCallback, type LambdaCallbackHooks } from './training/callbacks/lambda-callback.js';
export type { MonitorMode } from './training/callbacks/monitor.js';
export { compileModel, type CompileOptions, type TrainingSetup } from './training/compile.js';
export { fit, type FitOptions } from './training/fit.js';
export { trainOnBatch } from './training/train-on-batch.js';
export { evaluate, type EvaluateOptions } from './training/evaluate.js';
