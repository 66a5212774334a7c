import { RandomGenerator, ops, type BinaryOp, type KernelBackend, type UnaryOp } from '@recur/core';
import { seedOf, type CaseRegistry } from './case-registry.js';
import {
  assertDirectionalDerivatives,
  checkDirectionalDerivatives,
  type DifferentiableFunction,
} from './finite-difference.js';
import { oracleBinary } from './host-oracle.js';
import {
  hostTensor,
  randomHostTensor,
  randomIndices,
  type HostTensor,
  type RandomValueOptions,
} from './host-tensor.js';
import { BINARY_SHAPES, flagName } from './primitive-cases.js';
import {
  createRecurrentLayer,
  randomRecurrentInputs,
  runRecurrentLayer,
  sequenceMask,
  type RecurrentRunOptions,
} from './run-recurrent-layer.js';

/** A gradient rule under test: a function that exercises it, and whether it must pass no gradient. */
export interface GradientCase {
  readonly id: string;
  readonly fn: DifferentiableFunction;
  /** True for rules that return no gradient (sign, step, comparisons, cast). */
  readonly expectZero: boolean;
  /** Set when the case runs a layer through the backend's fused kernel, which it must have. */
  readonly fusedLayer?: RecurrentRunOptions;
}

/** Input ranges that keep each unary op smooth around every input (away from kinks and poles). */
const UNARY_RANGES: { readonly [K in UnaryOp]: RandomValueOptions } = {
  neg: { low: -2, high: 2 },
  abs: { low: -2, high: 2, avoid: [0], margin: 0.1 },
  sign: { low: -2, high: 2, avoid: [0], margin: 0.1 },
  step: { low: -2, high: 2, avoid: [0], margin: 0.1 },
  exp: { low: -2, high: 2 },
  log: { low: 0.5, high: 3 },
  sqrt: { low: 0.5, high: 3 },
  square: { low: -2, high: 2 },
  tanh: { low: -3, high: 3 },
  sigmoid: { low: -4, high: 4 },
  // Both the sloped middle and the flat outside parts, away from the corners at ±3.
  hardSigmoid: { low: -4.5, high: 4.5, avoid: [-3, 3], margin: 0.1 },
  softsign: { low: -3, high: 3, avoid: [0], margin: 0.1 },
  relu: { low: -2, high: 2, avoid: [0], margin: 0.1 },
};

const DIFFERENTIABLE_BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];

/** Binary inputs; maximum/minimum operands are redrawn until no pair is within 0.1 (no ties under the step). */
function binaryGradientInputs(op: BinaryOp, shapeA: number[], shapeB: number[], random: RandomGenerator): HostTensor[] {
  for (;;) {
    const a = randomHostTensor(random, shapeA, { low: -2, high: 2 });
    const b =
      op === 'div'
        ? randomHostTensor(random, shapeB, { low: -2, high: 2, avoid: [0], margin: 0.5 })
        : randomHostTensor(random, shapeB, { low: -2, high: 2 });
    const separated = oracleBinary('sub', a, b).values.every((difference) => Math.abs(difference) >= 0.1);
    if (separated || !['maximum', 'minimum', 'greater'].includes(op)) return [a, b];
  }
}

function recurrentCase(
  id: string,
  random: RandomGenerator,
  options: RecurrentRunOptions,
  masked: boolean,
): GradientCase {
  const sizes = { batch: 3, steps: 4, inputSize: 5, units: 2 };
  return {
    id,
    fusedLayer: options.useFusedKernel === true ? options : undefined,
    expectZero: false,
    fn: {
      inputs: randomRecurrentInputs(random, options, sizes),
      constants: masked ? [sequenceMask(sizes.batch, sizes.steps)] : [],
      forward: (engine, inputs, [mask]) => runRecurrentLayer(engine, inputs, mask ?? null, options),
    },
  };
}

/** Every gradient rule of core's gradient table, each through the public ops. */
export function gradientCases(): GradientCase[] {
  const random = new RandomGenerator(7_700_001);
  const cases: GradientCase[] = [];
  const add = (
    id: string,
    inputs: HostTensor[],
    forward: DifferentiableFunction['forward'],
    expectZero = false,
    constants: HostTensor[] = [],
  ) => cases.push({ id, expectZero, fn: { inputs, constants, forward } });

  for (const op of Object.keys(UNARY_RANGES) as UnaryOp[]) {
    const x = randomHostTensor(random, [3, 4], UNARY_RANGES[op]);
    add(`gradient/unary/${op}`, [x], (_, [input]) => ops[op](input), op === 'sign' || op === 'step');
  }

  for (const op of DIFFERENTIABLE_BINARY_OPS) {
    for (const shapes of BINARY_SHAPES) {
      add(`gradient/binary/${op}/${shapes.name}`, binaryGradientInputs(op, shapes.a, shapes.b, random), (_, [a, b]) =>
        ops[op](a, b),
      );
    }
  }
  for (const op of ['equal', 'greater'] as const) {
    add(
      `gradient/binary/${op}/same-shape`,
      binaryGradientInputs(op, [2, 3], [2, 3], random),
      (_, [a, b]) => ops[op](a, b),
      true,
    );
  }

  for (const batch of [null, 2]) {
    for (const [transposeA, transposeB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      const shape = (rows: number, columns: number, transposed: boolean) => {
        const matrix = transposed ? [columns, rows] : [rows, columns];
        return batch === null ? matrix : [batch, ...matrix];
      };
      add(
        `gradient/matmul/rank${batch === null ? 2 : 3}/${flagName(transposeA, transposeB)}`,
        [randomHostTensor(random, shape(3, 4, transposeA)), randomHostTensor(random, shape(4, 5, transposeB))],
        (_, [a, b]) => ops.matmul(a, b, transposeA, transposeB),
      );
    }
  }

  for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]]) {
    add(`gradient/sum/axes-${axes.join('-')}`, [randomHostTensor(random, [2, 3, 4])], (_, [x]) => ops.sum(x, axes));
    // Distinct values 0.125 apart: the maximum is unique and stays put under the step.
    const order = random.permutation(24);
    const distinct = hostTensor(
      [2, 3, 4],
      Array.from(order, (rank) => rank * 0.125 - 1.5),
    );
    add(`gradient/max/axes-${axes.join('-')}`, [distinct], (_, [x]) => ops.max(x, axes));
  }

  add('gradient/reshape', [randomHostTensor(random, [2, 3, 4])], (_, [x]) => ops.reshape(x, [4, 6]));
  add('gradient/transpose/rank3-perm-2-0-1', [randomHostTensor(random, [2, 3, 4])], (_, [x]) =>
    ops.transpose(x, [2, 0, 1]),
  );
  add('gradient/transpose/rank4-perm-3-1-0-2', [randomHostTensor(random, [2, 3, 2, 5])], (_, [x]) =>
    ops.transpose(x, [3, 1, 0, 2]),
  );
  add('gradient/slice/rank3-block', [randomHostTensor(random, [3, 4, 5])], (_, [x]) =>
    ops.slice(x, [1, 0, 2], [2, 3, 2]),
  );
  add(
    'gradient/concat/axis-1',
    [randomHostTensor(random, [2, 1, 3]), randomHostTensor(random, [2, 2, 3]), randomHostTensor(random, [2, 3, 3])],
    (_, pieces) => ops.concat(pieces, 1),
  );
  add('gradient/reverse/axis-1', [randomHostTensor(random, [2, 3, 4])], (_, [x]) => ops.reverse(x, 1));
  add(
    'gradient/gather/repeated-indices',
    [randomHostTensor(random, [6, 3])],
    (_, [table], [indices]) => ops.gather(table, indices),
    false,
    [hostTensor([2, 4], [1, 4, 1, 0, 5, 1, 4, 2], 'int32')],
  );
  add(
    'gradient/scatter-add/repeated-indices',
    [randomHostTensor(random, [7, 3])],
    (_, [updates], [indices]) => ops.scatterAdd(indices, updates, 5),
    false,
    [randomIndices(random, [7], 5)],
  );
  add(
    'gradient/scatter-update/table-and-rows',
    [randomHostTensor(random, [6, 3]), randomHostTensor(random, [3, 3])],
    (_, [table, updates], [indices]) => ops.scatterUpdate(table, indices, updates),
    false,
    [hostTensor([3], [4, 0, 2], 'int32')],
  );
  add(
    'gradient/cast/float32-int32-float32',
    // Away from integers, so truncation does not jump under the step.
    [randomHostTensor(random, [2, 5], { low: -3, high: 3, avoid: [-3, -2, -1, 0, 1, 2, 3], margin: 0.1 })],
    (_, [x]) => ops.cast(ops.cast(x, 'int32'), 'float32'),
    true,
  );

  // The fused-sequence rule hands the whole backward pass to the backend's kernel.
  const layer = (
    kind: RecurrentRunOptions['kind'],
    goBackwards: boolean,
    useFusedKernel: boolean,
    resetAfter = true,
  ): RecurrentRunOptions => ({
    kind,
    activation: 'tanh',
    recurrentActivation: 'sigmoid',
    resetAfter,
    goBackwards,
    useFusedKernel,
  });
  cases.push(recurrentCase('gradient/fused-sequence/lstm', random, layer('LSTM', false, true), false));
  cases.push(recurrentCase('gradient/fused-sequence/lstm-masked-backwards', random, layer('LSTM', true, true), true));
  cases.push(
    recurrentCase('gradient/fused-sequence/gru-reset-after-masked-backwards', random, layer('GRU', true, true), true),
  );
  cases.push(
    recurrentCase('gradient/fused-sequence/gru-reset-before-masked', random, layer('GRU', false, true, false), true),
  );
  cases.push(
    recurrentCase('gradient/fused-sequence/simple-rnn-masked-backwards', random, layer('SimpleRNN', true, true), true),
  );
  cases.push(
    recurrentCase('gradient/composite-sequence/lstm-masked-backwards', random, layer('LSTM', true, false), true),
  );
  return cases;
}

/** Registers a finite-difference check of every rule in core's gradient table. */
export function registerGradientChecks(registry: CaseRegistry, createBackend: () => KernelBackend): void {
  const backend = createBackend();
  for (const gradientCase of gradientCases()) {
    const fusedLayer = gradientCase.fusedLayer;
    if (fusedLayer !== undefined && createRecurrentLayer(fusedLayer, 1).cell.fusedKernel(backend) === undefined) {
      registry.notApplicable(gradientCase.id, `the backend has no fused ${fusedLayer.kind} kernel`);
      continue;
    }
    registry.add(gradientCase.id, () => {
      const checks = checkDirectionalDerivatives(
        createBackend,
        gradientCase.fn,
        new RandomGenerator(seedOf(gradientCase.id)),
      );
      assertDirectionalDerivatives(checks, gradientCase.expectZero);
    });
  }
}
