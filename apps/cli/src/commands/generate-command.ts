import { UsageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { fitPromptToVocabulary } from '../data/fit-prompt-to-vocabulary.js';
import { numberFlag, stringFlag } from '../flag-values.js';
import { generateText } from '../inference/generate-text.js';
import { openInferenceModel } from '../inference/inference-model.js';
import { requireLanguageModel } from '../model/cli-metadata.js';

/** `recur generate <model>`: character-level text generation, one streaming step per character. */
export const generateCommand: Command = {
  name: 'generate',
  summary: 'Generate text with a character-level language model',
  usage: 'recur generate <model folder | model.onnx> --prompt <text> [options]',
  description: [
    'Feeds the prompt one character at a time (the recurrent state is carried, nothing is recomputed), then samples',
    'each next character at the given temperature (p^(1/T), as in the Keras lecture) and feeds it back in.',
    'Temperature 0 is greedy decoding: always the most probable character.',
    'Several temperatures (--temperature 0.2,0.5,1.0) give one sample each. An .onnx file runs on ONNX Runtime.',
  ].join('\n'),
  positionals: [1, 1],
  flags: {
    prompt: {
      type: 'string',
      value: '<text>',
      description: 'Text to start from (default: a newline if the vocabulary has one).',
    },
    length: { type: 'string', value: '<n>', description: 'Characters to generate. Default 400.' },
    temperature: {
      type: 'string',
      value: '<t[,t...]>',
      description: 'Sampling temperature(s) >= 0 (0: always the most probable). Default 0.5.',
    },
    'top-k': { type: 'string', value: '<k>', description: 'Sample only among the k most probable characters.' },
    'unknown-char': {
      type: 'string',
      value: '<c>',
      description: "Replace prompt characters the model does not know with this one (e.g. '?').",
    },
  },
  examples: [
    'recur generate out/demo/model --prompt "the state of our union is " --length 300',
    'recur generate out/demo/model.onnx --prompt "america " --temperature 0.2,0.5,1.0',
    'recur generate out/demo/model --backend onnxruntime --prompt "we " --top-k 5 --json',
  ],
  async run([path], flags, context) {
    const length = numberFlag(flags, 'length', 'generate', { integer: true, min: 1 }) ?? 400;
    const askedTopK = numberFlag(flags, 'top-k', 'generate', { integer: true, min: 1 });
    const temperatures = (stringFlag(flags, 'temperature') ?? '0.5').split(',').map((part) => {
      const value = Number(part);
      if (part.trim() === '' || !Number.isFinite(value) || value < 0)
        throw new UsageError(`--temperature takes numbers >= 0 (comma-separated), got '${part}'.`, 'generate');
      return value;
    });
    const model = await openInferenceModel(path, context.backend, 'generate');
    try {
      const { vocabulary, lowercase } = requireLanguageModel(model.metadata, `'${model.source}'`, 'generate');
      const prompt = fitPromptToVocabulary(
        stringFlag(flags, 'prompt') ?? defaultPrompt(model.metadata.encoding),
        vocabulary,
        lowercase,
        stringFlag(flags, 'unknown-char'),
      );
      let topK = askedTopK;
      if (topK !== undefined && topK > vocabulary.size) {
        context.stderr.write(
          `note: --top-k ${topK} is more than the model's ${vocabulary.size} characters: sampling among all of them.\n`,
        );
        topK = vocabulary.size;
      }
      const samples: { temperature: number; text: string }[] = [];
      for (const temperature of temperatures) {
        // Temperature 0 is the limit of p^(1/T) as T falls to 0: all weight on the most probable
        // character, which is the top 1 at any temperature.
        const sampling = temperature === 0 ? { temperature: 1, topK: 1 } : { temperature, topK };
        const text = await generateText(model, { prompt, length, ...sampling, seed: context.seed ?? 42 });
        samples.push({ temperature, text });
        if (!context.json) {
          if (temperatures.length > 1) context.log(`--- temperature ${temperature} ---`);
          context.log(`${prompt}${text}`);
          if (temperatures.length > 1) context.log('');
        }
      }
      if (context.json) context.emitJson({ model: path, runtime: model.runtime, prompt, samples });
    } finally {
      await model.dispose();
    }
  },
};

function defaultPrompt(encoding: { task: string; vocabulary?: { characters: readonly string[] } } | undefined): string {
  const characters = encoding?.vocabulary?.characters ?? [];
  return characters.includes('\n') ? '\n' : (characters[0] ?? '');
}
