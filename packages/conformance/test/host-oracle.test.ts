import { describe, expect, it } from 'vitest';
import { hostTensor } from '../src/host-tensor.js';
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
} from '../src/host-oracle.js';

// The oracles are the suite's source of truth, so they are checked here on cases small enough
// to work out by hand.
describe('host oracles agree with hand-derived results', () => {
  const a = hostTensor([2, 3], [1, 2, 3, 4, 5, 6]);

  it('matmul with every transpose flag', () => {
    const square = hostTensor([2, 2], [1, 2, 3, 4]);
    expect(oracleMatmul(square, square, false, false).values).toEqual([7, 10, 15, 22]);
    expect(oracleMatmul(square, square, true, false).values).toEqual([10, 14, 14, 20]);
    expect(oracleMatmul(square, square, false, true).values).toEqual([5, 11, 11, 25]);
    expect(oracleMatmul(square, square, true, true).values).toEqual([7, 15, 10, 22]);
    const batched = oracleMatmul(
      hostTensor([2, 1, 2], [1, 2, 3, 4]),
      hostTensor([2, 2, 1], [1, 1, 2, 0]),
      false,
      false,
    );
    expect(batched.shape).toEqual([2, 1, 1]);
    expect(batched.values).toEqual([3, 6]);
  });

  it('broadcasting binary ops', () => {
    expect(oracleBinary('add', a, hostTensor([3], [10, 20, 30])).values).toEqual([11, 22, 33, 14, 25, 36]);
    const outer = oracleBinary('mul', hostTensor([2, 1], [1, 2]), hostTensor([1, 3], [1, 10, 100]));
    expect(outer.shape).toEqual([2, 3]);
    expect(outer.values).toEqual([1, 10, 100, 2, 20, 200]);
    expect(oracleBinary('greater', hostTensor([], [3]), a).values).toEqual([1, 1, 0, 0, 0, 0]);
  });

  it('reductions', () => {
    expect(oracleReduce('sum', a, [1]).values).toEqual([6, 15]);
    expect(oracleReduce('max', a, [0]).values).toEqual([4, 5, 6]);
    const all = oracleReduce('max', hostTensor([2], [-3, -2]), [0]);
    expect(all.shape).toEqual([]);
    expect(all.values).toEqual([-2]);
  });

  it('layout operations', () => {
    expect(oracleTranspose(a, [1, 0]).values).toEqual([1, 4, 2, 5, 3, 6]);
    const cube = hostTensor([2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
    // Output [i, j, k] = input [j, k, i] for perm [2, 0, 1].
    expect(oracleTranspose(cube, [2, 0, 1]).values).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    expect(oracleSlice(a, [1, 1], [1, 2]).values).toEqual([5, 6]);
    expect(oracleConcat([a, hostTensor([2, 1], [7, 8])], 1).values).toEqual([1, 2, 3, 7, 4, 5, 6, 8]);
    expect(oracleReverse(a, 1).values).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it('gather and its adjoint', () => {
    const table = hostTensor([3, 2], [1, 2, 3, 4, 5, 6]);
    expect(oracleGather(table, hostTensor([2, 1], [2, 0], 'int32')).values).toEqual([5, 6, 1, 2]);
    expect(oracleGather(table, hostTensor([], [1], 'int32')).shape).toEqual([2]);
    expect(oracleScatterAdd(hostTensor([3], [1, 1, 0], 'int32'), table, 3).values).toEqual([5, 6, 4, 6, 0, 0]);
  });
});
