/** The four standard workloads of `workloads.md`: shapes, metrics and exact FLOP counts. */

export type WorkloadName = 'charlm' | 'sentiment' | 'timeseries' | 'stream';
export type MetricName = 'train' | 'infer' | 'step';

export interface Workload {
  readonly name: WorkloadName;
  /** Time steps per sequence (1 per call for `stream`). */
  readonly timeSteps: number;
  readonly batch: number;
  readonly metrics: readonly MetricName[];
  /** FLOPs of one forward pass of one sample (of one step for `stream`). */
  readonly forwardFlops: number;
  /** FLOPs of one training step of one sample; 0 when the workload does not train. */
  readonly trainingFlops: number;
}

/** Consecutive stream steps timed as one call ("runs of 50-500 consecutive steps"). */
export const STREAM_STEPS_PER_CALL = 100;

/** Input vectors of the stream workload; step k uses vector k mod this. */
export const STREAM_VECTORS = 1000;

/** Forward gate matmuls of one LSTM layer per sample and step: 4H(I+H) multiply-adds. */
function lstmForwardFlops(inputSize: number, units: number): number {
  return 8 * units * (inputSize + units);
}

/**
 * Backward matmuls of one LSTM layer per sample and step: dW_ih 8HI, dW_hh 8H^2, dh_prev 8H^2,
 * and dx 8HI only when the input needs a gradient (an embedding's output does; raw data does not).
 */
function lstmBackwardFlops(inputSize: number, units: number, inputGradient: boolean): number {
  return 8 * units * inputSize + 16 * units * units + (inputGradient ? 8 * units * inputSize : 0);
}

function denseFlops(inputSize: number, units: number): number {
  return 2 * inputSize * units;
}

function recurrentWorkload(
  name: WorkloadName,
  shape: {
    timeSteps: number;
    batch: number;
    inputSize: number;
    units: number;
    outputs: number;
    inputGradient: boolean;
  },
): Workload {
  const { timeSteps, inputSize, units, outputs, inputGradient } = shape;
  const forward = timeSteps * lstmForwardFlops(inputSize, units) + denseFlops(units, outputs);
  const backward = timeSteps * lstmBackwardFlops(inputSize, units, inputGradient) + 2 * denseFlops(units, outputs);
  return {
    name,
    timeSteps,
    batch: shape.batch,
    metrics: ['train', 'infer'],
    forwardFlops: forward,
    trainingFlops: forward + backward,
  };
}

export const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = {
  charlm: recurrentWorkload('charlm', {
    timeSteps: 40,
    batch: 128,
    inputSize: 64,
    units: 128,
    outputs: 64,
    inputGradient: false,
  }),
  sentiment: recurrentWorkload('sentiment', {
    timeSteps: 80,
    batch: 32,
    inputSize: 128,
    units: 128,
    outputs: 1,
    inputGradient: true,
  }),
  timeseries: recurrentWorkload('timeseries', {
    timeSteps: 50,
    batch: 32,
    inputSize: 1,
    units: 50,
    outputs: 1,
    inputGradient: false,
  }),
  stream: {
    name: 'stream',
    timeSteps: 1,
    batch: 1,
    metrics: ['step'],
    forwardFlops: lstmForwardFlops(64, 256) + lstmForwardFlops(256, 256),
    trainingFlops: 0,
  },
};

export const WORKLOAD_NAMES = Object.keys(WORKLOADS) as WorkloadName[];
