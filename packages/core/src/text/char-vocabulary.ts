import { ValueError } from '../errors.js';

export interface CharVocabularyOptions {
  /**
   * A character that stands for every character outside the vocabulary (it is added to the
   * vocabulary if absent). Without it, encoding an unknown character is an error.
   */
  readonly unknown?: string;
}

/** The JSON form of a CharVocabulary, for model metadata. */
export interface CharVocabularyJson {
  readonly format: 'recur-char-vocabulary';
  readonly characters: readonly string[];
  readonly unknown: string | null;
}

/**
 * Character-level vocabulary, as in the Keras character LSTM tutorial: the sorted unique
 * characters of a text, character k having id k. Characters are Unicode code points (an emoji
 * is one character) sorted by code point, like Python's `sorted(set(text))`.
 *
 * @example
 * const vocabulary = CharVocabulary.fromText(corpus);
 * const ids = vocabulary.encode('to be');       // Int32Array
 * vocabulary.decode(ids) === 'to be';
 * const metadata = { vocabulary: JSON.stringify(vocabulary) };
 * const again = CharVocabulary.fromJSON(JSON.parse(metadata.vocabulary));
 */
export class CharVocabulary {
  readonly characters: readonly string[];
  readonly unknown: string | null;
  private readonly ids: Map<string, number>;

  constructor(characters: readonly string[], options: CharVocabularyOptions = {}) {
    if (!Array.isArray(characters)) throw new ValueError('CharVocabulary needs an array of single characters.');
    const unknown = options.unknown ?? null;
    if (unknown !== null && !isOneCharacter(unknown)) {
      throw new ValueError(`CharVocabulary option 'unknown' must be one character, got ${JSON.stringify(unknown)}.`);
    }
    const all = unknown !== null && !characters.includes(unknown) ? [...characters, unknown] : [...characters];
    this.ids = new Map();
    all.forEach((character, id) => {
      if (typeof character !== 'string' || !isOneCharacter(character)) {
        throw new ValueError(
          `CharVocabulary entry ${id} is ${JSON.stringify(character)}; each entry must be exactly one character.`,
        );
      }
      if (this.ids.has(character))
        throw new ValueError(
          `CharVocabulary lists ${JSON.stringify(character)} twice (ids ${this.ids.get(character)} and ${id}).`,
        );
      this.ids.set(character, id);
    });
    if (all.length === 0) throw new ValueError('CharVocabulary is empty: build it from a non-empty text.');
    this.characters = all;
    this.unknown = unknown;
  }

  /** The sorted unique characters of `text` (plus the `unknown` character, kept in sort order). */
  static fromText(text: string, options: CharVocabularyOptions = {}): CharVocabulary {
    if (typeof text !== 'string' || text.length === 0)
      throw new ValueError('CharVocabulary.fromText needs a non-empty string.');
    const unique = new Set(text);
    if (options.unknown !== undefined && isOneCharacter(options.unknown)) unique.add(options.unknown);
    const sorted = [...unique].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharVocabulary(sorted, options);
  }

  /** Reads the form written by `toJSON` (e.g. `JSON.parse(metadata.vocabulary)`). */
  static fromJSON(json: unknown): CharVocabulary {
    const value = json as Partial<CharVocabularyJson> | null;
    if (
      value === null ||
      typeof value !== 'object' ||
      value.format !== 'recur-char-vocabulary' ||
      !Array.isArray(value.characters)
    ) {
      throw new ValueError(
        "Not a CharVocabulary: expected { format: 'recur-char-vocabulary', characters: [...], unknown }.",
      );
    }
    if (value.unknown !== null && typeof value.unknown !== 'string') {
      throw new ValueError(
        `CharVocabulary JSON: 'unknown' must be a character or null, got ${JSON.stringify(value.unknown)}.`,
      );
    }
    if (value.unknown !== null && !value.characters.includes(value.unknown)) {
      throw new ValueError(
        `CharVocabulary JSON: the unknown character ${JSON.stringify(value.unknown)} is not among its characters.`,
      );
    }
    return new CharVocabulary(value.characters, { unknown: value.unknown ?? undefined });
  }

  /** Number of characters, the `inputDim` of an Embedding or the width of a one-hot input. */
  get size(): number {
    return this.characters.length;
  }

  /** Ids of the characters of `text`; an unknown character maps to `unknown` or is an error. */
  encode(text: string): Int32Array {
    const characters = Array.from(text);
    const ids = new Int32Array(characters.length);
    characters.forEach((character, k) => {
      const id = this.ids.get(character) ?? (this.unknown === null ? undefined : this.ids.get(this.unknown));
      if (id === undefined) {
        throw new ValueError(
          `Character ${JSON.stringify(character)} (U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) at position ${k} is not in the vocabulary: build it from a text containing it, or pass { unknown: '?' }.`,
        );
      }
      ids[k] = id;
    });
    return ids;
  }

  /** The text of `ids`; each id must be a whole number in [0, size). */
  decode(ids: ArrayLike<number>): string {
    let text = '';
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k];
      if (!Number.isInteger(id) || id < 0 || id >= this.characters.length) {
        throw new ValueError(
          `Id ${id} at position ${k} is outside the vocabulary: ids run from 0 to ${this.characters.length - 1}.`,
        );
      }
      text += this.characters[id];
    }
    return text;
  }

  toJSON(): CharVocabularyJson {
    return { format: 'recur-char-vocabulary', characters: [...this.characters], unknown: this.unknown };
  }
}

function isOneCharacter(value: string): boolean {
  return typeof value === 'string' && Array.from(value).length === 1;
}
