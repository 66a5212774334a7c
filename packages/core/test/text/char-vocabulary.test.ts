import { describe, expect, it } from 'vitest';
import { CharVocabulary, ValueError } from '@recur/core';

describe('CharVocabulary', () => {
  it("holds the text's sorted unique characters, as Python's sorted(set(text)) does", () => {
    const vocabulary = CharVocabulary.fromText('hello world!');
    expect(vocabulary.characters).toEqual([' ', '!', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(vocabulary.size).toBe(9);
    expect([...vocabulary.encode('hello')]).toEqual([4, 3, 5, 5, 6]);
  });

  it('treats a character outside the basic plane as one character, sorted by code point', () => {
    // U+1F600 (a surrogate pair in UTF-16) sorts after U+FF01 by code point, though its first
    // UTF-16 unit (0xD83D) is smaller: code units would order them the other way.
    const vocabulary = CharVocabulary.fromText('😀！a');
    expect(vocabulary.characters).toEqual(['a', '！', '😀']);
    expect([...vocabulary.encode('a😀')]).toEqual([0, 2]);
    expect(vocabulary.decode([2, 1])).toBe('😀！');
  });

  it('round-trips text through encode and decode', () => {
    const text = 'To be, or not to be: that is the question.\n';
    const vocabulary = CharVocabulary.fromText(text);
    const ids = vocabulary.encode(text);
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids.length).toBe(text.length);
    expect(vocabulary.decode(ids)).toBe(text);
  });

  it('round-trips through JSON, as model metadata stores it', () => {
    const vocabulary = CharVocabulary.fromText('abc', { unknown: '?' });
    const again = CharVocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary)));
    expect(again.characters).toEqual(['?', 'a', 'b', 'c']);
    expect(again.unknown).toBe('?');
    expect([...again.encode('abz')]).toEqual([1, 2, 0]);
  });

  it('names an unknown character and the fix, unless an unknown character is set', () => {
    const vocabulary = CharVocabulary.fromText('abc');
    expect(() => vocabulary.encode('abz')).toThrow(ValueError);
    expect(() => vocabulary.encode('abz')).toThrow(`Character "z" (U+007A) at position 2 is not in the vocabulary`);
    // '_' (U+005F) sorts before 'a' (U+0061), so it takes id 0.
    expect([...CharVocabulary.fromText('abc', { unknown: '_' }).encode('zab')]).toEqual([0, 1, 2]);
  });

  it('refuses ids outside the vocabulary and malformed input', () => {
    const vocabulary = CharVocabulary.fromText('abc');
    expect(() => vocabulary.decode([0, 3])).toThrow(
      'Id 3 at position 1 is outside the vocabulary: ids run from 0 to 2.',
    );
    expect(() => vocabulary.decode([1.5])).toThrow(/Id 1.5 at position 0/);
    expect(() => CharVocabulary.fromText('')).toThrow(/non-empty string/);
    expect(() => CharVocabulary.fromText('abc', { unknown: '??' })).toThrow(/'unknown' must be one character/);
    expect(() => new CharVocabulary(['a', 'a'])).toThrow(/lists "a" twice/);
    expect(() => new CharVocabulary(['ab'])).toThrow(/entry 0 is "ab"/);
    expect(() => CharVocabulary.fromJSON({ characters: ['a'] })).toThrow(/Not a CharVocabulary/);
    expect(() => CharVocabulary.fromJSON({ format: 'recur-char-vocabulary', characters: ['a'], unknown: '?' })).toThrow(
      /unknown character "\?" is not among/,
    );
  });
});
