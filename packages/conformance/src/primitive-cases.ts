import { RandomGenerator, type BinaryOp, type KernelBackend, type TensorInfo, type UnaryOp } from '@recur/core';
import { assertClose } from './assert-close.js';
import type { CaseRegistry } from './case-registry.js';
import { hostTensor, randomHostTensor, randomIndices, type HostTensor } from './host-tensor.js';
import {
  oracleBinary,
  oracleConcat,
  oracleGather,
  oracleMatmul,
  oracleReduce,
  oracleReverse,
  oracleScatterAdd,
  oracleSlice,
  oracleTranspose,
  oracleUnary,
} from './host-oracle.js';
import { PRIMITIVE_TOLERANCE } from './tolerances.js';

/** One primitive call: its inputs, how to call it, and the result the math gives. */
export interface PrimitiveCase {
  readonly id: string;
  readonly inputs: readonly HostTensor[];
  readonly expected: HostTensor;
  /** Inputs the case gives up to the backend (`scatterUpdate`'s `donateTable`): not checked afterwards. */
  readonly donated?: readonly number[];
  run(backend: KernelBackend, inputs: readonly TensorInfo[]): TensorInfo;
}

const UNARY_OPS: readonly UnaryOp[] = [
  'neg',
  'abs',
  'sign',
  'step',
  'exp',
  'log',
  'sqrt',
  'square',
  'tanh',
  'sigmoid',
  'hardSigmoid',
  'softsign',
  'relu',
];
const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'equal', 'greater'];

/** Shape pairs for binary ops: same shape, then NumPy broadcasting in its distinct forms. */
export const BINARY_SHAPES: readonly { readonly name: string; readonly a: number[]; readonly b: number[] }[] = [
  { name: 'same-shape', a: [2, 3], b: [2, 3] },
  { name: 'broadcast-trailing', a: [2, 3, 4], b: [4] },
  { name: 'broadcast-both', a: [2, 1, 4], b: [3, 1] },
  { name: 'broadcast-scalar', a: [], b: [2, 3] },
];

const TRANSPOSE_FLAGS: readonly [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

export function flagName(transposeA: boolean, transposeB: boolean): string {
  return `${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}`;
}

/** Inputs that exercise each unary op where it is interesting: zeros, kinks, saturation. */
function unaryInput(op: UnaryOp, random: RandomGenerator): HostTensor {
  const special: Partial<Record<UnaryOp, number[]>> = {
    sign: [0, -0.5, 0.5],
    step: [0, -0.5, 0.5],
    relu: [0, -0.5, 0.5],
    abs: [0, -1.5, 1.5],
    tanh: [0, -20, 20, -0.001, 0.001],
    sigmoid: [0, -30, 30, -100, 100],
    hardSigmoid: [-3, 3, -4, 4, 0, -2.5, 2.5],
    softsign: [0, -50, 50],
    exp: [0, -10, 3],
    log: [1, 0.125, 20],
    sqrt: [1, 0.25, 0, 16],
  };
  const positive = op === 'log' || op === 'sqrt';
  const random12 = randomHostTensor(random, [12], positive ? { low: 0.05, high: 4 } : { low: -3, high: 3 });
  const values = [...(special[op] ?? []), ...random12.values];
  return hostTensor([values.length], values);
}

/** Inputs of a binary op: a coarse grid for comparisons (so ties occur), divisors away from zero. */
function binaryInputs(
  op: BinaryOp,
  shapeA: number[],
  shapeB: number[],
  random: RandomGenerator,
): [HostTensor, HostTensor] {
  if (op === 'equal' || op === 'greater' || op === 'maximum' || op === 'minimum') {
    const grid = (shape: number[]) => {
      const draw = randomHostTensor(random, shape, { low: 0, high: 5 });
      return hostTensor(
        shape,
        draw.values.map((value) => Math.floor(value) / 2 - 1),
      );
    };
    return [grid(shapeA), grid(shapeB)];
  }
  const a = randomHostTensor(random, shapeA, { low: -2, high: 2 });
  if (op !== 'div') return [a, randomHostTensor(random, shapeB, { low: -2, high: 2 })];
  const magnitude = randomHostTensor(random, shapeB, { low: 0.5, high: 2 });
  return [
    a,
    hostTensor(
      shapeB,
      magnitude.values.map((value, k) => (k % 2 === 0 ? value : -value)),
    ),
  ];
}

function matmulShape(rows: number, columns: number, transposed: boolean, batch: number | null): number[] {
  const matrix = transposed ? [columns, rows] : [rows, columns];
  return batch === null ? matrix : [batch, ...matrix];
}

/** Every primitive case, drawn from a fixed seed so ids always denote the same numbers. */
export function primitiveCases(): PrimitiveCase[] {
  const random = new RandomGenerator(20_240_601);
  const cases: PrimitiveCase[] = [];

  cases.push({
    id: 'primitive/fill/float32',
    inputs: [],
    expected: hostTensor([2, 3], new Array<number>(6).fill(-1.25)),
    run: (backend) => backend.fill([2, 3], -1.25, 'float32'),
  });
  cases.push({
    id: 'primitive/fill/int32',
    inputs: [],
    expected: hostTensor([4], [7, 7, 7, 7], 'int32'),
    run: (backend) => backend.fill([4], 7, 'int32'),
  });
  cases.push({
    id: 'primitive/fill/scalar',
    inputs: [],
    expected: hostTensor([], [0.5]),
    run: (backend) => backend.fill([], 0.5, 'float32'),
  });
  cases.push({
    id: 'primitive/cast/float32-to-int32',
    inputs: [hostTensor([8], [-2.75, -1.5, -0.25, 0, 0.875, 1.5, 3.996, 100.5])],
    // Truncation toward zero, the contract's (and C's, and TensorFlow's) float-to-int rule.
    expected: hostTensor([8], [-2, -1, 0, 0, 0, 1, 3, 100], 'int32'),
    run: (backend, [x]) => backend.cast(x, 'int32'),
  });
  cases.push({
    id: 'primitive/cast/int32-to-float32',
    inputs: [hostTensor([2, 2], [-3, 0, 7, 16_777_216], 'int32')],
    expected: hostTensor([2, 2], [-3, 0, 7, 16_777_216]),
    run: (backend, [x]) => backend.cast(x, 'float32'),
  });

  for (const op of UNARY_OPS) {
    const x = unaryInput(op, random);
    cases.push({
      id: `primitive/unary/${op}`,
      inputs: [x],
      expected: oracleUnary(op, x),
      run: (backend, [input]) => backend.unary(op, input),
    });
  }

  for (const op of BINARY_OPS) {
    for (const shapes of BINARY_SHAPES) {
      const [a, b] = binaryInputs(op, shapes.a, shapes.b, random);
      cases.push({
        id: `primitive/binary/${op}/${shapes.name}`,
        inputs: [a, b],
        expected: oracleBinary(op, a, b),
        run: (backend, [left, right]) => backend.binary(op, left, right),
      });
    }
  }

  cases.push({
    id: 'primitive/matmul/literal',
    inputs: [hostTensor([2, 2], [1, 2, 3, 4]), hostTensor([2, 2], [1, 2, 3, 4])],
    expected: hostTensor([2, 2], [7, 10, 15, 22]),
    run: (backend, [a, b]) => backend.matmul(a, b, false, false),
  });
  for (const batch of [null, 2]) {
    for (const [transposeA, transposeB] of TRANSPOSE_FLAGS) {
      // M = 3, K = 4, N = 5: no two sizes equal, so a swapped axis cannot go unnoticed.
      const a = randomHostTensor(random, matmulShape(3, 4, transposeA, batch));
      const b = randomHostTensor(random, matmulShape(4, 5, transposeB, batch));
      cases.push({
        id: `primitive/matmul/rank${batch === null ? 2 : 3}/${flagName(transposeA, transposeB)}`,
        inputs: [a, b],
        expected: oracleMatmul(a, b, transposeA, transposeB),
        run: (backend, [left, right]) => backend.matmul(left, right, transposeA, transposeB),
      });
    }
  }

  cases.push({
    id: 'primitive/reduce/literal',
    inputs: [hostTensor([2, 3], [1, 2, 3, 4, 5, 6])],
    expected: hostTensor([3], [5, 7, 9]),
    run: (backend, [x]) => backend.reduce('sum', x, [0]),
  });
  const reduceAxes: number[][] = [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]];
  for (const op of ['sum', 'max'] as const) {
    for (const axes of reduceAxes) {
      // All-negative inputs catch a maximum that starts from 0 instead of -Infinity.
      const x = randomHostTensor(random, [2, 3, 4], op === 'max' ? { low: -3, high: -0.5 } : { low: -1, high: 1 });
      cases.push({
        id: `primitive/reduce/${op}/axes-${axes.join('-')}`,
        inputs: [x],
        expected: oracleReduce(op, x, axes),
        run: (backend, [input]) => backend.reduce(op, input, axes),
      });
    }
  }

  const block = randomHostTensor(random, [2, 3, 4]);
  cases.push({
    id: 'primitive/reshape/rank3-to-rank2',
    inputs: [block],
    expected: hostTensor([4, 6], block.values),
    run: (backend, [x]) => backend.reshape(x, [4, 6]),
  });
  cases.push({
    id: 'primitive/reshape/to-scalar',
    inputs: [hostTensor([1, 1], [2.5])],
    expected: hostTensor([], [2.5]),
    run: (backend, [x]) => backend.reshape(x, []),
  });

  cases.push({
    id: 'primitive/transpose/literal',
    inputs: [hostTensor([2, 3], [1, 2, 3, 4, 5, 6])],
    expected: hostTensor([3, 2], [1, 4, 2, 5, 3, 6]),
    run: (backend, [x]) => backend.transpose(x, [1, 0]),
  });
  const transposeCases: { shape: number[]; perm: number[] }[] = [
    { shape: [2, 3, 4], perm: [2, 0, 1] },
    { shape: [2, 3, 4], perm: [0, 2, 1] },
    { shape: [2, 3, 4], perm: [1, 0, 2] },
    { shape: [2, 3, 4], perm: [0, 1, 2] },
    { shape: [2, 3, 2, 5], perm: [3, 1, 0, 2] },
  ];
  for (const { shape, perm } of transposeCases) {
    const x = randomHostTensor(random, shape);
    cases.push({
      id: `primitive/transpose/rank${shape.length}-perm-${perm.join('-')}`,
      inputs: [x],
      expected: oracleTranspose(x, perm),
      run: (backend, [input]) => backend.transpose(input, perm),
    });
  }

  const sliceCases: { name: string; shape: number[]; begin: number[]; size: number[] }[] = [
    { name: 'rank1', shape: [7], begin: [2], size: [4] },
    { name: 'rank2-interior', shape: [4, 5], begin: [1, 2], size: [2, 3] },
    { name: 'rank3-block', shape: [2, 3, 4], begin: [1, 0, 2], size: [1, 3, 2] },
    { name: 'rank3-whole', shape: [2, 3, 4], begin: [0, 0, 0], size: [2, 3, 4] },
  ];
  for (const { name, shape, begin, size } of sliceCases) {
    const x = randomHostTensor(random, shape);
    cases.push({
      id: `primitive/slice/${name}`,
      inputs: [x],
      expected: oracleSlice(x, begin, size),
      run: (backend, [input]) => backend.slice(input, begin, size),
    });
  }

  cases.push({
    id: 'primitive/concat/literal',
    inputs: [hostTensor([2, 1], [1, 2]), hostTensor([2, 2], [3, 4, 5, 6])],
    expected: hostTensor([2, 3], [1, 3, 4, 2, 5, 6]),
    run: (backend, inputs) => backend.concat(inputs, 1),
  });
  const concatCases: { axis: number; shapes: number[][] }[] = [
    {
      axis: 0,
      shapes: [
        [1, 3, 2],
        [2, 3, 2],
        [1, 3, 2],
      ],
    },
    {
      axis: 1,
      shapes: [
        [2, 1, 4],
        [2, 2, 4],
        [2, 3, 4],
      ],
    },
    {
      axis: 2,
      shapes: [
        [2, 3, 1],
        [2, 3, 3],
      ],
    },
  ];
  for (const { axis, shapes } of concatCases) {
    const pieces = shapes.map((shape) => randomHostTensor(random, shape));
    cases.push({
      id: `primitive/concat/axis-${axis}`,
      inputs: pieces,
      expected: oracleConcat(pieces, axis),
      run: (backend, inputs) => backend.concat(inputs, axis),
    });
  }

  for (const axis of [0, 1, 2]) {
    const x = randomHostTensor(random, [2, 3, 4]);
    cases.push({
      id: `primitive/reverse/axis-${axis}`,
      inputs: [x],
      expected: oracleReverse(x, axis),
      run: (backend, [input]) => backend.reverse(input, axis),
    });
  }

  cases.push({
    id: 'primitive/gather/literal',
    inputs: [hostTensor([3, 2], [1, 2, 3, 4, 5, 6]), hostTensor([4], [2, 0, 2, 1], 'int32')],
    expected: hostTensor([4, 2], [5, 6, 1, 2, 5, 6, 3, 4]),
    run: (backend, [table, indices]) => backend.gather(table, indices),
  });
  for (const indexShape of [[5], [2, 3], []]) {
    const table = randomHostTensor(random, [6, 3]);
    const indices = randomIndices(random, indexShape, 6);
    cases.push({
      id: `primitive/gather/indices-rank${indexShape.length}`,
      inputs: [table, indices],
      expected: oracleGather(table, indices),
      run: (backend, [tableInfo, indexInfo]) => backend.gather(tableInfo, indexInfo),
    });
  }

  cases.push({
    id: 'primitive/scatter-add/literal',
    inputs: [hostTensor([3], [1, 3, 1], 'int32'), hostTensor([3, 2], [1, 2, 3, 4, 5, 6])],
    expected: hostTensor([4, 2], [0, 0, 6, 8, 0, 0, 3, 4]),
    run: (backend, [indices, updates]) => backend.scatterAdd(indices, updates, 4),
  });
  {
    const indices = randomIndices(random, [9], 4);
    const updates = randomHostTensor(random, [9, 3]);
    cases.push({
      id: 'primitive/scatter-add/repeated-indices',
      inputs: [indices, updates],
      expected: oracleScatterAdd(indices, updates, 6),
      run: (backend, [indexInfo, updateInfo]) => backend.scatterAdd(indexInfo, updateInfo, 6),
    });
  }

  cases.push({
    id: 'primitive/scatter-update/literal',
    inputs: [
      hostTensor([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
      hostTensor([2], [3, 1], 'int32'),
      hostTensor([2, 2], [-1, -2, -3, -4]),
    ],
    expected: hostTensor([4, 2], [1, 2, -3, -4, 5, 6, -1, -2]),
    run: (backend, [table, indices, updates]) => backend.scatterUpdate(table, indices, updates),
  });
  cases.push({
    id: 'primitive/scatter-update/no-rows',
    inputs: [hostTensor([2, 3], [1, 2, 3, 4, 5, 6]), hostTensor([0], [], 'int32'), hostTensor([0, 3], [])],
    expected: hostTensor([2, 3], [1, 2, 3, 4, 5, 6]),
    run: (backend, [table, indices, updates]) => backend.scatterUpdate(table, indices, updates),
  });
  cases.push({
    id: 'primitive/scatter-update/donated-table',
    inputs: [
      hostTensor([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]),
      hostTensor([2], [3, 1], 'int32'),
      hostTensor([2, 2], [-1, -2, -3, -4]),
    ],
    expected: hostTensor([4, 2], [1, 2, -3, -4, 5, 6, -1, -2]),
    donated: [0],
    run: (backend, [table, indices, updates]) => backend.scatterUpdate(table, indices, updates, true),
  });
  cases.push({
    // A reshape may share the table's storage: it must keep the old values after the donation.
    id: 'primitive/scatter-update/donated-table-with-a-reshape',
    inputs: [hostTensor([3, 2], [1, 2, 3, 4, 5, 6]), hostTensor([1], [1], 'int32'), hostTensor([1, 2], [-1, -2])],
    expected: hostTensor([12], [1, 2, -1, -2, 5, 6, 1, 2, 3, 4, 5, 6]),
    donated: [0],
    run: (backend, [table, indices, updates]) => {
      const view = backend.reshape(table, [6]);
      const updated = backend.scatterUpdate(table, indices, updates, true);
      return backend.concat([backend.reshape(updated, [6]), view], 0);
    },
  });
  cases.push({
    // The updates are the table itself (all rows, permuted): they must be read before any is written.
    id: 'primitive/scatter-update/donated-table-as-its-updates',
    inputs: [hostTensor([3, 2], [1, 2, 3, 4, 5, 6]), hostTensor([3], [2, 0, 1], 'int32')],
    expected: hostTensor([3, 2], [3, 4, 5, 6, 1, 2]),
    donated: [0],
    run: (backend, [table, indices]) => backend.scatterUpdate(table, indices, table, true),
  });

  return cases;
}

export function uploadHostTensor(backend: KernelBackend, tensor: HostTensor): TensorInfo {
  const values = tensor.dtype === 'int32' ? Int32Array.from(tensor.values) : Float32Array.from(tensor.values);
  return backend.upload(values, tensor.shape, tensor.dtype);
}

/** Runs a case: the result's shape, dtype and values, and that no input was modified. */
export function runPrimitiveCase(backend: KernelBackend, primitiveCase: PrimitiveCase): void {
  const inputs = primitiveCase.inputs.map((input) => uploadHostTensor(backend, input));
  const result = primitiveCase.run(backend, inputs);
  const { expected } = primitiveCase;
  if (
    result.shape.length !== expected.shape.length ||
    result.shape.some((dimension, k) => dimension !== expected.shape[k])
  ) {
    throw new Error(
      `Result shape [${result.shape.join(', ')}] differs from the expected [${expected.shape.join(', ')}].`,
    );
  }
  if (result.dtype !== expected.dtype)
    throw new Error(`Result dtype ${result.dtype} differs from the expected ${expected.dtype}.`);
  const values = backend.download(result);
  const exact = { absolute: 0, relative: 0 };
  assertClose(
    'result',
    values,
    expected.values,
    expected.shape,
    expected.dtype === 'int32' ? exact : PRIMITIVE_TOLERANCE,
  );
  inputs.forEach((input, k) => {
    if (primitiveCase.donated?.includes(k)) return;
    const original = primitiveCase.inputs[k];
    const stored = primitiveCase.inputs[k].dtype === 'int32' ? original.values : Float32Array.from(original.values);
    assertClose(
      `input ${k} after the call (inputs must never be mutated)`,
      backend.download(input),
      stored,
      original.shape,
      exact,
    );
  });
}

/**
 * Upload and download: special float32 values survive bit for bit, int32 extremes survive,
 * and both calls copy (the backend never aliases the caller's arrays).
 */
function registerRoundTrips(registry: CaseRegistry, createBackend: () => KernelBackend): void {
  registry.add('primitive/upload-download/float32-special-values', () => {
    const backend = createBackend();
    const values = Float32Array.from([
      0,
      -0,
      1.5,
      -2.25,
      1e-30,
      1e-40,
      3.4028234663852886e38,
      Infinity,
      -Infinity,
      NaN,
    ]);
    const tensor = backend.upload(values, [2, 5], 'float32');
    const back = backend.download(tensor);
    if (!(back instanceof Float32Array))
      throw new Error(`download of a float32 tensor returned ${back.constructor.name}, expected Float32Array.`);
    values.forEach((value, k) => {
      if (!Object.is(back[k], value)) throw new Error(`Element ${k}: uploaded ${value}, downloaded ${back[k]}.`);
    });
  });
  registry.add('primitive/upload-download/int32-extremes', () => {
    const backend = createBackend();
    const values = Int32Array.from([0, 1, -1, 2_147_483_647, -2_147_483_648, 42]);
    const back = backend.download(backend.upload(values, [3, 2], 'int32'));
    if (!(back instanceof Int32Array))
      throw new Error(`download of an int32 tensor returned ${back.constructor.name}, expected Int32Array.`);
    assertClose('int32 round trip', back, values, [3, 2], { absolute: 0, relative: 0 });
  });
  registry.add('primitive/upload-download/copies', () => {
    const backend = createBackend();
    const values = Float32Array.from([1, 2, 3]);
    const tensor = backend.upload(values, [3], 'float32');
    values[0] = 100;
    const first = backend.download(tensor);
    first[1] = 200;
    const second = backend.download(tensor);
    assertClose('values after mutating the uploaded and the downloaded arrays', second, [1, 2, 3], [3], {
      absolute: 0,
      relative: 0,
    });
    if (tensor.shape.length !== 1 || tensor.shape[0] !== 3 || tensor.dtype !== 'float32') {
      throw new Error(
        `upload returned shape [${tensor.shape.join(', ')}] and dtype ${tensor.dtype}, expected [3] float32.`,
      );
    }
  });
}

const ADAM_SCALARS = { alpha: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Adam's formulas in float64 for element-aligned arrays: the new weight, m, v and vHat. */
function adamFormulas(
  w: readonly number[],
  g: readonly number[],
  m: readonly number[],
  v: readonly number[],
  vHat: readonly number[],
  amsgrad: boolean,
) {
  const { alpha, beta1, beta2, epsilon } = ADAM_SCALARS;
  const m1 = m.map((mk, k) => mk + (g[k] - mk) * (1 - beta1));
  const v1 = v.map((vk, k) => vk + (g[k] ** 2 - vk) * (1 - beta2));
  const vHat1 = vHat.map((value, k) => Math.max(value, v1[k]));
  const second = amsgrad ? vHat1 : v1;
  const w1 = w.map((wk, k) => wk - (alpha * m1[k]) / (Math.sqrt(second[k]) + epsilon));
  return [['weight', w1], ['m', m1], ['v', v1], ...(amsgrad ? [['v-hat', vHat1] as const] : [])] as const;
}

/** A weight and its Adam slots of one shape, v and vHat in [0.01, 1] so the step stays near magnitude 1. */
function adamInputs(random: RandomGenerator, shape: number[]) {
  const [w, m] = [0, 1].map(() => randomHostTensor(random, shape));
  const [v, vHat] = [0, 1].map(() => randomHostTensor(random, shape, { low: 0.01, high: 1 }));
  return { w, m, v, vHat };
}

/** The optional fused Adam update, one case per output, against the formulas in float64. */
export function adamStepCases(): PrimitiveCase[] {
  const random = new RandomGenerator(20_261_122);
  const cases: PrimitiveCase[] = [];
  for (const amsgrad of [false, true]) {
    const { w, m, v, vHat } = adamInputs(random, [3, 5]);
    const g = randomHostTensor(random, [3, 5]);
    adamFormulas(w.values, g.values, m.values, v.values, vHat.values, amsgrad).forEach(([name, expected], index) => {
      cases.push({
        id: `primitive/adam-step/${amsgrad ? 'amsgrad' : 'plain'}/${name}`,
        inputs: amsgrad ? [w, g, m, v, vHat] : [w, g, m, v],
        expected: hostTensor([3, 5], expected),
        run: (backend, [weight, gradient, first, secondMoment, maximum]) =>
          backend.adamStep!(weight, gradient, first, secondMoment, maximum ?? null, ADAM_SCALARS)[index],
      });
    });
  }
  return cases;
}

/**
 * The optional fused lazy Adam update of some rows (rows 3 and 0 of a [5, 3] weight), one case
 * per output, with the tables kept and donated: the formulas in float64 on those rows, every
 * other row unchanged.
 */
export function adamStepRowsCases(): PrimitiveCase[] {
  const random = new RandomGenerator(20_261_123);
  const [rows, width] = [[3, 0], 3];
  const cases: PrimitiveCase[] = [];
  for (const amsgrad of [false, true]) {
    const { w, m, v, vHat } = adamInputs(random, [5, width]);
    const gradientRows = randomHostTensor(random, [rows.length, width]);
    const rowValues = (table: HostTensor) => rows.flatMap((row) => table.values.slice(row * width, (row + 1) * width));
    const updated = adamFormulas(
      rowValues(w),
      gradientRows.values,
      rowValues(m),
      rowValues(v),
      rowValues(vHat),
      amsgrad,
    );
    const tables = [w, m, v, vHat];
    updated.forEach(([name, values], index) => {
      const expected = Array.from(tables[index].values);
      rows.forEach((row, k) => expected.splice(row * width, width, ...values.slice(k * width, (k + 1) * width)));
      for (const donate of [false, true]) {
        cases.push({
          id: `primitive/adam-step-rows/${amsgrad ? 'amsgrad' : 'plain'}/${donate ? 'donated' : 'kept'}/${name}`,
          inputs: [w, gradientRows, m, v, ...(amsgrad ? [vHat] : []), hostTensor([rows.length], rows, 'int32')],
          expected: hostTensor([5, width], expected),
          donated: donate ? (amsgrad ? [0, 2, 3, 4] : [0, 2, 3]) : [],
          run: (backend, inputs) => {
            const [weight, gradient, first, secondMoment] = inputs;
            const maximum = amsgrad ? inputs[4] : null;
            return backend.adamStepRows!(
              weight,
              gradient,
              first,
              secondMoment,
              maximum,
              inputs[inputs.length - 1],
              ADAM_SCALARS,
              donate,
            )[index];
          },
        });
      }
    });
  }
  return cases;
}

/** Registers every primitive case of the kernel contract, the optional ones where the backend has them. */
export function registerPrimitiveCases(registry: CaseRegistry, createBackend: () => KernelBackend): void {
  registerRoundTrips(registry, createBackend);
  for (const primitiveCase of primitiveCases()) {
    registry.add(primitiveCase.id, () => runPrimitiveCase(createBackend(), primitiveCase));
  }
  const backend = createBackend();
  const optional = [
    {
      cases: adamStepCases(),
      present: backend.adamStep !== undefined,
      reason: 'the backend has no fused adamStep kernel (core runs the formulas as primitives)',
    },
    {
      cases: adamStepRowsCases(),
      present: backend.adamStepRows !== undefined,
      reason: 'the backend has no fused adamStepRows kernel (core updates gathered rows)',
    },
  ];
  for (const { cases, present, reason } of optional) {
    for (const optionalCase of cases) {
      if (present) registry.add(optionalCase.id, () => runPrimitiveCase(createBackend(), optionalCase));
      else registry.notApplicable(optionalCase.id, reason);
    }
  }
}
