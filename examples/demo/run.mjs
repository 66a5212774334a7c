// The Recur demo (README command one): train a character-level LSTM on State of the Union
// addresses with the recur CLI on the pure-TypeScript backend, save it, export it to ONNX, and
// generate text from the ONNX file on ONNX Runtime at three temperatures. Each step is the
// built `recur` command a user would type, so the demo shows exactly what the CLI does.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'apps', 'cli', 'dist', 'cli.js');
const out = join(root, 'out', 'demo');
const model = join(out, 'model');
const onnx = join(out, 'model.onnx');
const plot = join(out, 'loss.svg');
const started = performance.now();

if (!existsSync(cli)) {
  console.error(
    `The recur CLI is not built (${relative(root, cli)} is missing): run the root 'demo' script, which builds first.`,
  );
  process.exit(1);
}

/** Runs `recur <args>` in the repository root with the terminal attached (the progress bar draws live). */
function recur(title, args) {
  console.log(`\n== ${title}\n$ recur ${args.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\nThe demo stopped: 'recur ${args[0]}' exited with ${result.status ?? result.signal}.`);
    process.exit(result.status ?? 1);
  }
}

const rel = (path) => relative(root, path);
recur('Train a character-level LSTM on State of the Union addresses (backend-ts with WebAssembly SIMD kernels)', [
  'train',
  'examples/demo/config.yaml',
  '--out',
  rel(model),
  '--plot',
  rel(plot),
]);
recur('Export it to ONNX', ['export', rel(model), '--format', 'onnx', '--out', rel(onnx)]);
recur('Generate text from the ONNX file on ONNX Runtime', [
  'generate',
  rel(onnx),
  '--prompt',
  'the state of our union is ',
  '--length',
  '300',
  '--temperature',
  '0.2,0.5,1.0',
  '--seed',
  '7',
]);

const minutes = ((performance.now() - started) / 60000).toFixed(1);
console.log(`\nDone in ${minutes} min. Files:
  ${rel(model)}/      the trained model (model.json, weights.safetensors, vocabulary in the metadata)
  ${rel(onnx)}   the same model as ONNX (recurrent state exposed for step-by-step generation)
  ${rel(plot)}     the loss curve
Try: node ${rel(cli)} generate ${rel(model)} --prompt "my fellow americans, " --temperature 0.5`);
