import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRecur, scratchFolder } from './run-recur.js';

describe('Ctrl-C during training', () => {
  it('saves a checkpoint, and --resume ends bit-identical to a run never interrupted', async () => {
    const folder = scratchFolder();
    const flags = ['--epochs', '30', '--json'];
    const uninterrupted = await runRecur(['train', 'text-model.yaml', '--out', join(folder, 'straight'), ...flags]);
    expect(uninterrupted.code).toBe(0);

    // Interrupt once the first epoch is done and the fourth batch of the second has been reported.
    let sent = false;
    const interrupted = await runRecur(
      ['train', 'text-model.yaml', '--out', join(folder, 'resumed'), '--epochs', '30'],
      {
        onOutput: (text, child) => {
          if (!sent && /Epoch 2\/30\n[\s\S]*batch 4\/9/.test(text)) {
            sent = true;
            child.kill('SIGINT');
          }
        },
      },
    );
    expect(sent).toBe(true);
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('Interrupted: stopping after this batch and saving a checkpoint');
    const checkpoint = join(folder, 'resumed-checkpoint');
    expect(interrupted.stdout).toContain(`Checkpoint saved to ${checkpoint}`);
    for (const file of ['state.json', 'optimizer.safetensors', 'model/model.json', 'model/weights.safetensors'])
      expect(existsSync(join(checkpoint, file)), file).toBe(true);
    expect(existsSync(join(folder, 'resumed', 'model.json'))).toBe(false);

    const resumed = await runRecur([
      'train',
      'text-model.yaml',
      '--out',
      join(folder, 'resumed'),
      '--resume',
      checkpoint,
      ...flags,
    ]);
    expect(resumed.code).toBe(0);
    expect(
      readFileSync(join(folder, 'resumed', 'weights.safetensors')).equals(
        readFileSync(join(folder, 'straight', 'weights.safetensors')),
      ),
    ).toBe(true);
    const straightEpochs = JSON.parse(uninterrupted.stdout).record.epochs;
    const resumedEpochs = JSON.parse(resumed.stdout).record.epochs;
    expect(resumedEpochs).toHaveLength(30);
    // Validation is computed whole after each epoch: bit-identical. The training loss of the
    // interrupted epoch is merged from two running means, equal up to float rounding.
    expect(resumedEpochs.map((logs: Record<string, number>) => logs.val_loss)).toEqual(
      straightEpochs.map((logs: Record<string, number>) => logs.val_loss),
    );
    resumedEpochs.forEach((logs: Record<string, number>, epoch: number) =>
      expect(logs.loss).toBeCloseTo(straightEpochs[epoch].loss, 10),
    );
  });

  it('refuses to resume with another batch size', async () => {
    const folder = scratchFolder();
    let sent = false;
    await runRecur(['train', 'text-model.yaml', '--out', join(folder, 'model'), '--epochs', '30'], {
      onOutput: (text, child) => {
        if (!sent && /batch 2\/9/.test(text)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    const run = await runRecur([
      'train',
      'text-model.yaml',
      '--out',
      join(folder, 'model'),
      '--resume',
      join(folder, 'model-checkpoint'),
      '--batch-size',
      '8',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/was trained with batchSize 16, this run asks for 8: resume with the same batchSize/);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops after the batch and saves a checkpoint as Ctrl-C does (exit %i)', async (signal, code) => {
    const folder = scratchFolder();
    let sent = false;
    const run = await runRecur(['train', 'text-model.yaml', '--out', join(folder, 'model'), '--epochs', '30'], {
      onOutput: (text, child) => {
        if (!sent && /batch 2\/9/.test(text)) {
          sent = true;
          child.kill(signal);
        }
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(`Interrupted by ${signal}: stopping after this batch and saving a checkpoint`);
    const checkpoint = join(folder, 'model-checkpoint');
    expect(run.stdout).toContain(`Checkpoint saved to ${checkpoint}`);
    for (const file of ['state.json', 'optimizer.safetensors', 'model/model.json', 'model/weights.safetensors'])
      expect(existsSync(join(checkpoint, file)), file).toBe(true);
  });
});
