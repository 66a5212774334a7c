import { describe, expect, it } from 'vitest';
import { CharVocabulary, ValueError, oneHot, windowText } from '@recur/core';

describe('windowText', () => {
  it('cuts windows and next-character targets like the Keras tutorial loop', () => {
    // Python: for i in range(0, len(text) - maxlen, step): x.append(text[i:i+maxlen]); y.append(text[i+maxlen])
    // With text 'abcdefgh' (8), maxlen 3, step 2: i = 0, 2, 4 -> 'abc'>'d', 'cde'>'f', 'efg'>'h'.
    const vocabulary = CharVocabulary.fromText('abcdefgh');
    const { x, y } = windowText(vocabulary.encode('abcdefgh'), { length: 3, step: 2 });
    expect(x.shape).toEqual([3, 3]);
    expect(y.shape).toEqual([3]);
    expect(x.values).toBeInstanceOf(Int32Array);
    const rows = [0, 1, 2].map((s) => vocabulary.decode(x.values.subarray(s * 3, s * 3 + 3)));
    expect(rows).toEqual(['abc', 'cde', 'efg']);
    expect(vocabulary.decode(y.values)).toBe('dfh');
  });

  it('counts ceil((N - length) / step) samples', () => {
    // N = 10, length 4: starts 0..5 with step 1 (6 samples), 0, 3 with step 3 (2 samples: 6 has no target).
    const ids = Int32Array.from({ length: 10 }, (_, k) => k);
    expect(windowText(ids, { length: 4 }).x.shape).toEqual([6, 4]);
    const { x, y } = windowText(ids, { length: 4, step: 3 });
    expect(x.shape).toEqual([2, 4]);
    expect([...x.values]).toEqual([0, 1, 2, 3, 3, 4, 5, 6]);
    expect([...y.values]).toEqual([4, 7]);
    expect(windowText(ids, { length: 9 }).y.values).toEqual(Int32Array.of(9));
  });

  it('names a text too short for one sample and bad options', () => {
    expect(() => windowText([1, 2, 3], { length: 3 })).toThrow(ValueError);
    expect(() => windowText([1, 2, 3], { length: 3 })).toThrow('3 ids make no sample of length 3 (each needs 4 ids');
    expect(() => windowText([1, 2, 3], { length: 0 })).toThrow(/'length' must be a positive integer, got 0/);
    expect(() => windowText([1, 2, 3], { length: 1, step: 1.5 })).toThrow(/'step' must be a positive integer, got 1.5/);
  });
});

describe('oneHot', () => {
  it('puts a single 1 at each id, with the vocabulary as the last axis', () => {
    const encoded = oneHot({ shape: [2, 2], values: Int32Array.of(0, 2, 1, 2) }, 3);
    expect(encoded.shape).toEqual([2, 2, 3]);
    expect(encoded.values).toEqual(Float32Array.of(1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1));
  });

  it('refuses ids outside the depth', () => {
    expect(() => oneHot({ shape: [2], values: Int32Array.of(0, 3) }, 3)).toThrow(
      'oneHot: id 3 at flat index 1 is outside [0, 2]',
    );
    expect(() => oneHot({ shape: [1], values: Int32Array.of(0) }, 0)).toThrow(/'depth' must be a positive integer/);
  });
});
