import { CliError } from '../cli-error.js';

/** Ids reserved in every token vocabulary. */
export const PADDING_ID = 0;
export const UNKNOWN_ID = 1;
const RESERVED = ['<pad>', '<unk>'];

/** Words (letters, digits, inner apostrophes) or Unicode characters of a text. */
export function tokenize(text: string, tokenizer: 'word' | 'char'): string[] {
  if (tokenizer === 'char') return Array.from(text);
  return text.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];
}

/**
 * The `size - 2` most frequent tokens (ties broken by the token's code points, so the result is
 * the same everywhere) after the padding and unknown tokens: ids 0 and 1, as Keras's
 * TextVectorization does.
 *
 * @example
 * const tokens = buildTokenVocabulary([['the', 'cat'], ['the']], 100); // ['<pad>', '<unk>', 'the', 'cat']
 */
export function buildTokenVocabulary(documents: readonly (readonly string[])[], size: number): string[] {
  const counts = new Map<string, number>();
  for (const document of documents) for (const token of document) counts.set(token, (counts.get(token) ?? 0) + 1);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (ranked.length === 0)
    throw new CliError('The training texts hold no tokens: check data.textField, data.skipUntil and data.tokenizer.');
  return [...RESERVED, ...ranked.slice(0, size - RESERVED.length).map(([token]) => token)];
}

/**
 * Token ids of documents as an int32 `[S, maxLength]` array: truncated to `maxLength`, padded
 * with 0 at the end (post-padding, which Embedding's maskZero and ONNX `sequence_lens` expect).
 */
export function encodeDocuments(
  documents: readonly (readonly string[])[],
  tokens: readonly string[],
  maxLength: number,
): Int32Array {
  const ids = new Map(tokens.map((token, id) => [token, id]));
  const values = new Int32Array(documents.length * maxLength);
  documents.forEach((document, s) => {
    const length = Math.min(document.length, maxLength);
    for (let t = 0; t < length; t++) values[s * maxLength + t] = ids.get(document[t]) ?? UNKNOWN_ID;
    // An empty document would be all padding, which a masked LSTM cannot read: give it one unknown token.
    if (length === 0) values[s * maxLength] = UNKNOWN_ID;
  });
  return values;
}
