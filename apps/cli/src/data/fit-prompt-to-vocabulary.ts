import type { CharVocabulary } from '@recur/core';
import { CliError } from '../cli-error.js';

/**
 * The prompt as a language model reads it: lowercased if the model was trained lowercased, and
 * each character outside the vocabulary replaced by `unknownCharacter` (`--unknown-char`), which
 * must itself be in the vocabulary: the model's input width is fixed, so no character can be
 * added. Without `unknownCharacter` an outside character is an error naming the flag.
 *
 * @example
 * const prompt = fitPromptToVocabulary('Größe', vocabulary, true, '?'); // 'gr??e' for an ASCII vocabulary
 */
export function fitPromptToVocabulary(
  prompt: string,
  vocabulary: CharVocabulary,
  lowercase: boolean,
  unknownCharacter: string | undefined,
): string {
  const known = new Set(vocabulary.characters);
  if (unknownCharacter !== undefined && (Array.from(unknownCharacter).length !== 1 || !known.has(unknownCharacter))) {
    throw new CliError(
      `--unknown-char must be one character of the model's vocabulary, got ${JSON.stringify(unknownCharacter)}: e.g. ${unknownFlag(vocabulary)}.`,
      2,
    );
  }
  const characters = Array.from(lowercase ? prompt.toLowerCase() : prompt);
  return characters
    .map((character, position) => {
      if (known.has(character)) return character;
      if (unknownCharacter !== undefined) return unknownCharacter;
      const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new CliError(
        `The prompt does not fit the model: Character ${JSON.stringify(character)} (${code}) at position ${position} is not in the model's vocabulary of ${vocabulary.size} characters. Leave it out, or replace such characters with one the model knows: ${unknownFlag(vocabulary)}.`,
      );
    })
    .join('');
}

/** The flag with a replacement character the model knows, preferring '?' and then a space. */
function unknownFlag(vocabulary: CharVocabulary): string {
  const candidate =
    ['?', ' '].find((character) => vocabulary.characters.includes(character)) ?? vocabulary.characters[0];
  return `--unknown-char '${candidate}'`;
}
