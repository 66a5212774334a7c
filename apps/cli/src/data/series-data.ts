import { CliError } from '../cli-error.js';
import type { SeriesDataConfig } from '../config/data-config.js';
import type { PreparedData, Scaling } from './encoding.js';

/**
 * Forecasting data: sample s is the window `values[s .. s+window)` (shape `[window, 1]`) and
 * its label the next value. The split is chronological (the last `validationSplit` of the
 * windows), and the scaling is fitted on the values the training windows cover only, so no
 * statistic leaks from the validation period. With a saved scaling (evaluate) that is used.
 *
 * @example
 * const data = seriesData(config, await loadSeriesColumn(config.source, config.column));
 */
export function seriesData(config: SeriesDataConfig, values: Float64Array, savedScaling?: Scaling): PreparedData {
  const window = config.window;
  const samples = values.length - window;
  if (samples < 2)
    throw new CliError(
      `The series has ${values.length} values; 'data.window' ${window} needs at least ${window + 2}. Use a shorter window.`,
    );
  const trainCount = config.validationSplit === 0 ? samples : Math.floor(samples * (1 - config.validationSplit));
  if (trainCount < 1 || trainCount >= samples + (config.validationSplit === 0 ? 1 : 0)) {
    throw new CliError(
      `'data.validationSplit' ${config.validationSplit} of ${samples} windows leaves none for ${trainCount < 1 ? 'training' : 'validation'}.`,
    );
  }
  const scaling = savedScaling ?? fitScaling(config.scaling, values.subarray(0, trainCount + window));
  const scaled = Float32Array.from(values, (value) => (value - scaling.offset) / scaling.scale);
  const windows = (begin: number, end: number) => {
    const x = new Float32Array((end - begin) * window);
    const y = new Float32Array(end - begin);
    for (let s = begin; s < end; s++) {
      x.set(scaled.subarray(s, s + window), (s - begin) * window);
      y[s - begin] = scaled[s + window];
    }
    return { x: { shape: [end - begin, window, 1], values: x }, y: { shape: [end - begin, 1], values: y } };
  };
  return {
    encoding: { task: 'forecasting', column: config.column, window, scaling },
    train: windows(0, trainCount),
    validation: trainCount < samples ? windows(trainCount, samples) : null,
    sampleShape: [window, 1],
    placeholders: {},
    description: `${values.length.toLocaleString('en-US')} values of '${config.column}' -> ${trainCount} training and ${samples - trainCount} validation windows of ${window} (${scaling.kind} scaling)`,
  };
}

function fitScaling(kind: Scaling['kind'], values: Float64Array): Scaling {
  if (kind === 'none') return { kind, offset: 0, scale: 1 };
  if (kind === 'minmax') {
    let low = Infinity;
    let high = -Infinity;
    for (const value of values) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    return { kind, offset: low, scale: high > low ? high - low : 1 };
  }
  let sum = 0;
  for (const value of values) sum += value;
  const mean = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - mean) ** 2;
  const deviation = Math.sqrt(squares / values.length);
  return { kind, offset: mean, scale: deviation > 0 ? deviation : 1 };
}

/**
 * Mean absolute and root-mean-square error, in the data's own units, of forecasts given in
 * scaled units against scaled labels.
 */
export function forecastErrors(
  predicted: ArrayLike<number>,
  labels: ArrayLike<number>,
  scaling: Scaling,
): { mae: number; rmse: number } {
  let absolute = 0;
  let squared = 0;
  for (let k = 0; k < labels.length; k++) {
    const error = (predicted[k] - labels[k]) * scaling.scale;
    absolute += Math.abs(error);
    squared += error * error;
  }
  return { mae: absolute / labels.length, rmse: Math.sqrt(squared / labels.length) };
}

/** The naive forecast: each window's last value. */
export function lastValues(x: { shape: readonly number[]; values: ArrayLike<number> }): Float32Array {
  const window = x.shape[1];
  return Float32Array.from({ length: x.shape[0] }, (_, s) => x.values[s * window + window - 1]);
}
