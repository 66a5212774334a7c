import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adagrad, Adam, Engine, RMSprop, SGD, ValueError, Variable, type Optimizer } from '@recur/core';
import { tsBackend } from '@recur/backend-ts';

/**
 * Optimizer parity. Expected values come from TensorFlow.js's optimizers (cpu backend) where
 * tfjs computes what Keras 3 computes, and from Keras 3's formulas worked by hand (in float64)
 * where it does not. Every test runs a few steps on a quadratic bowl whose gradient
 * `g = 2 a w + b` depends on the current weights, so the updates feed back into each other.
 */

const initial = [0.5, -1.5, 2.0, 0.25, -0.75, 1.0];
const curvature = [1.0, 0.5, 2.0, 0.1, 3.0, 1.5];
const offset = [0.3, -0.2, 0.1, 0.05, -0.4, 0.0];
const STEPS = 5;

function gradientAt(weights: ArrayLike<number>): number[] {
  return Array.from(weights, (w, k) => Math.fround(2 * curvature[k] * w + offset[k]));
}

/** Runs our optimizer STEPS times; returns the weights after each step. */
function runOurs(optimizer: Optimizer, steps = STEPS): number[][] {
  const engine = new Engine(tsBackend());
  const weight = new Variable('w', engine.tensor(initial, [2, 3]));
  const trajectory: number[][] = [];
  for (let step = 0; step < steps; step++) {
    const gradient = engine.tensor(gradientAt(weight.value.read()), [2, 3]);
    optimizer.apply([gradient], [weight]);
    gradient.dispose();
    trajectory.push(weight.value.toArray());
  }
  return trajectory;
}

/** Runs a tfjs optimizer the same way. */
function runTfjs(optimizer: tf.Optimizer): number[][] {
  const weight = tf.variable(tf.tensor2d(initial, [2, 3]), true, `w${Math.random()}`);
  const trajectory: number[][] = [];
  for (let step = 0; step < STEPS; step++) {
    const gradient = tf.tensor2d(gradientAt(weight.dataSync()), [2, 3]);
    optimizer.applyGradients({ [weight.name]: gradient });
    gradient.dispose();
    trajectory.push(Array.from(weight.dataSync()));
  }
  weight.dispose();
  optimizer.dispose();
  return trajectory;
}

function expectClose(actual: number[][], expected: number[][], tolerance = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, step) =>
    row.forEach((value, k) => {
      const reference = expected[step][k];
      if (Math.abs(value - reference) > tolerance * Math.max(1, Math.abs(reference))) {
        throw new Error(`step ${step + 1}, element ${k}: got ${value}, expected ${reference}`);
      }
    }),
  );
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimizers match TensorFlow.js where tfjs follows Keras 3', () => {
  it('SGD', () => {
    expectClose(runOurs(new SGD({ learningRate: 0.1 })), runTfjs(tf.train.sgd(0.1)));
  });

  it('SGD with momentum (tfjs accumulates g, Keras accumulates -lr g: the same steps for a fixed lr)', () => {
    expectClose(runOurs(new SGD({ learningRate: 0.05, momentum: 0.9 })), runTfjs(tf.train.momentum(0.05, 0.9, false)));
  });

  it('SGD with Nesterov momentum', () => {
    expectClose(
      runOurs(new SGD({ learningRate: 0.05, momentum: 0.8, nesterov: true })),
      runTfjs(tf.train.momentum(0.05, 0.8, true)),
    );
  });

  it('RMSprop (epsilon inside the square root in both)', () => {
    expectClose(
      runOurs(new RMSprop({ learningRate: 0.01, rho: 0.9, epsilon: 1e-7 })),
      runTfjs(tf.train.rmsprop(0.01, 0.9, 0, 1e-7, false)),
    );
  });

  it('RMSprop with momentum', () => {
    expectClose(
      runOurs(new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6 })),
      runTfjs(tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6, false)),
    );
  });

  it('Adagrad (tfjs uses the backend epsilon, 1e-7, as Keras does)', () => {
    expectClose(
      runOurs(new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.1, epsilon: 1e-7 })),
      runTfjs(tf.train.adagrad(0.1, 0.1)),
    );
  });

  it('Adam with epsilon 0 (where the Keras and tfjs epsilon placements coincide)', () => {
    // Our epsilon must be positive; 1e-30 is 0 to float32 next to sqrt(v) >= 1e-4 here.
    expectClose(
      runOurs(new Adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-30 })),
      runTfjs(tf.train.adam(0.01, 0.9, 0.999, 0)),
    );
  });
});

describe("optimizers follow Keras 3's formulas where tfjs differs", () => {
  /** Runs `update(w, g, t)` on the host in float64 with the same gradient rule. */
  function handTrajectory(update: (w: number[], g: number[], t: number) => void): number[][] {
    const w = [...initial];
    const trajectory: number[][] = [];
    for (let t = 1; t <= STEPS; t++) {
      update(w, gradientAt(w.map(Math.fround)), t);
      trajectory.push([...w]);
    }
    return trajectory;
  }

  it('Adam: epsilon is added after the bias correction (keras/src/optimizers/adam.py)', () => {
    const [lr, beta1, beta2, epsilon] = [0.01, 0.9, 0.999, 1e-3];
    const m = initial.map(() => 0);
    const v = initial.map(() => 0);
    // Keras 3: alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t); m += (g - m)(1 - beta1);
    // v += (g² - v)(1 - beta2); w -= alpha m / (sqrt(v) + epsilon).
    const expected = handTrajectory((w, g, t) => {
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      w.forEach((_, k) => {
        m[k] += (g[k] - m[k]) * (1 - beta1);
        v[k] += (g[k] * g[k] - v[k]) * (1 - beta2);
        w[k] -= (alpha * m[k]) / (Math.sqrt(v[k]) + epsilon);
      });
    });
    expectClose(runOurs(new Adam({ learningRate: lr, beta1, beta2, epsilon })), expected, 1e-5);
  });

  it('Adam with AMSGrad keeps the running maximum of v', () => {
    const [lr, beta1, beta2, epsilon] = [0.05, 0.9, 0.99, 1e-7];
    const m = initial.map(() => 0);
    const v = initial.map(() => 0);
    const vHat = initial.map(() => 0);
    // Keras 3 amsgrad: v_hat = max(v_hat, v); w -= alpha m / (sqrt(v_hat) + epsilon).
    const expected = handTrajectory((w, g, t) => {
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      w.forEach((_, k) => {
        m[k] += (g[k] - m[k]) * (1 - beta1);
        v[k] += (g[k] * g[k] - v[k]) * (1 - beta2);
        vHat[k] = Math.max(vHat[k], v[k]);
        w[k] -= (alpha * m[k]) / (Math.sqrt(vHat[k]) + epsilon);
      });
    });
    expectClose(runOurs(new Adam({ learningRate: lr, beta1, beta2, epsilon, amsgrad: true })), expected, 1e-5);
  });

  it('RMSprop centered: epsilon is added to the variance (tfjs 4.22 subtracts it)', () => {
    const [lr, rho, momentum, epsilon] = [0.01, 0.9, 0.3, 1e-4];
    const velocity = initial.map(() => 0);
    const average = initial.map(() => 0);
    const moment = initial.map(() => 0);
    // Keras 3 (keras/src/optimizers/rmsprop.py): v = rho v + (1 - rho) g²; a = rho a + (1 - rho) g;
    // increment = lr g / sqrt(v - a² + epsilon); m = momentum m + increment; w -= m.
    const expected = handTrajectory((w, g) => {
      w.forEach((_, k) => {
        velocity[k] = rho * velocity[k] + (1 - rho) * g[k] * g[k];
        average[k] = rho * average[k] + (1 - rho) * g[k];
        moment[k] = momentum * moment[k] + (lr * g[k]) / Math.sqrt(velocity[k] - average[k] * average[k] + epsilon);
        w[k] -= moment[k];
      });
    });
    expectClose(runOurs(new RMSprop({ learningRate: lr, rho, momentum, epsilon, centered: true })), expected, 1e-5);
  });

  it('defaults are Keras 3 defaults', () => {
    expect(new SGD().config()).toEqual({ kind: 'sgd', options: { learningRate: 0.01, momentum: 0, nesterov: false } });
    expect(new RMSprop().config()).toEqual({
      kind: 'rmsprop',
      options: { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
    });
    expect(new Adagrad().config()).toEqual({
      kind: 'adagrad',
      options: { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 },
    });
    expect(new Adam().config()).toEqual({
      kind: 'adam',
      options: { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false },
    });
  });
});

describe('gradient clipping (Keras 3 semantics, checked by hand)', () => {
  const engine = new Engine(tsBackend());
  // Two weights with gradients of norms 5 (3-4-0) and 13 (5-12); the global norm is sqrt(194).
  function clippedStep(options: { clipNorm?: number; clipValue?: number; globalClipNorm?: number }): number[][] {
    const a = new Variable('a', engine.zeros([3]));
    const b = new Variable('b', engine.zeros([2]));
    // Plain SGD with lr 1 moves each weight by exactly minus its clipped gradient.
    new SGD({ learningRate: 1, ...options }).apply(
      [engine.tensor([3, 4, 0], [3]), engine.tensor([5, 12], [2])],
      [a, b],
    );
    return [a.value.toArray().map((x) => -x), b.value.toArray().map((x) => -x)];
  }

  it('clipNorm rescales each gradient to at most the norm', () => {
    const [a, b] = clippedStep({ clipNorm: 6.5 });
    expectClose(
      [a, b],
      [
        [3, 4, 0],
        [2.5, 6],
      ],
    );
  });

  it('globalClipNorm rescales all gradients by one factor', () => {
    const scale = 7 / Math.sqrt(194);
    const [a, b] = clippedStep({ globalClipNorm: 7 });
    expectClose(
      [a, b],
      [
        [3 * scale, 4 * scale, 0],
        [5 * scale, 12 * scale],
      ],
    );
  });

  it('clipValue clamps every element', () => {
    expectClose(clippedStep({ clipValue: 4.5 }), [
      [3, 4, 0],
      [4.5, 4.5],
    ]);
  });

  it('refuses two clipping options at once', () => {
    expect(() => new Adam({ clipNorm: 1, clipValue: 1 })).toThrow(/only one of clipNorm, clipValue and globalClipNorm/);
    expect(() => new SGD({ globalClipNorm: -1 })).toThrow(ValueError);
  });
});

describe('optimizer state', () => {
  it('a step leaves no tensors behind', () => {
    const engine = new Engine(tsBackend());
    const weight = new Variable('w', engine.tensor(initial, [2, 3]));
    const optimizer = new Adam({ learningRate: 0.01, amsgrad: true, clipNorm: 1 });
    const counts: number[] = [];
    for (let step = 0; step < 4; step++) {
      const gradient = engine.tensor(gradientAt(weight.value.read()), [2, 3]);
      optimizer.apply([gradient], [weight]);
      gradient.dispose();
      counts.push(engine.liveTensors);
    }
    // One weight plus three slots (momentum, velocity, velocity_hat), after every step.
    expect(counts).toEqual([4, 4, 4, 4]);
  });

  it('getState / setState resumes exactly where a run left off', () => {
    const uninterrupted = runOurs(new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true }), 6);
    const first = new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true });
    const engine = new Engine(tsBackend());
    const weight = new Variable('w', engine.tensor(initial, [2, 3]));
    const step = (optimizer: Optimizer): void => {
      const gradient = engine.tensor(gradientAt(weight.value.read()), [2, 3]);
      optimizer.apply([gradient], [weight]);
    };
    for (let k = 0; k < 3; k++) step(first);
    const state = first.getState();
    expect(state.step).toBe(3);
    expect([...state.slots.keys()].sort()).toEqual(['w/average_gradient', 'w/momentum', 'w/velocity']);
    const resumed = new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true });
    resumed.setState(state);
    for (let k = 0; k < 3; k++) step(resumed);
    expect(resumed.iterations).toBe(6);
    expect(weight.value.toArray()).toEqual(uninterrupted[5]);
  });

  it('setState refuses slots of another optimizer', () => {
    const state = new Adam().getState();
    expect(() =>
      new SGD({ momentum: 0.9 }).setState({
        step: 1,
        slots: new Map([['w/velocity', { shape: [1], values: new Float32Array(1) }]]),
      }),
    ).toThrow(/'w\/velocity' is not a slot of this optimizer \(it keeps: momentum\)/);
    expect(state.step).toBe(0);
  });
});
