import { ValueError } from '../../errors.js';
import type { Logs } from './callback.js';

/**
 * Fills Keras-style placeholders in a checkpoint path: `{epoch}` (counted from 1), any log key
 * (`{val_loss}`), with an optional format: `{epoch:03d}` pads with zeros, `{val_loss:.4f}` fixes
 * the decimals.
 */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
  return template.replace(
    /\{(\w+)(?::(0?)(\d*)(?:\.(\d+))?([df])?)?\}/g,
    (_match, key: string, zero: string, width: string, decimals: string | undefined, type: string | undefined) => {
      const value = values[key];
      if (value === undefined) {
        throw new ValueError(
          `ModelCheckpoint: the path '${template}' uses {${key}}, which is not in the logs. Available: ${Object.keys(values).join(', ')}.`,
        );
      }
      let text =
        type === 'd'
          ? String(Math.round(value))
          : decimals !== undefined
            ? value.toFixed(Number(decimals))
            : String(value);
      if (width !== '') text = text.padStart(Number(width), zero === '0' ? '0' : ' ');
      return text;
    },
  );
}
