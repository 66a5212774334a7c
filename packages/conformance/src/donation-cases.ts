import { Engine, RandomGenerator, ops, type KernelBackend, type Tensor } from '@recur/core';
import { assertAllClose, measureCloseness } from './assert-close.js';
import { seedOf, type CaseRegistry } from './case-registry.js';
import { randomHostTensor } from './host-tensor.js';
import { randomRecurrentInputs, runRecurrentLayer, type RecurrentRunOptions } from './run-recurrent-layer.js';

const CASE_ID = 'donation/lstm-after-its-recurrent-kernel-was-donated';
const OPTIONS: RecurrentRunOptions = {
  kind: 'LSTM',
  activation: 'tanh',
  recurrentActivation: 'sigmoid',
  resetAfter: false,
  goBackwards: false,
  useFusedKernel: 'auto',
};
/** Where the recurrent kernel sits among `randomRecurrentInputs`' LSTM inputs (x, h0, c0, kernel, ...). */
const RECURRENT_KERNEL = 4;

/**
 * A donated table may get its new rows in its own storage (`scatterUpdate`'s `donateTable`), so
 * a backend that keeps prepared copies of weights (packed GEMM operands, keyed by storage) must
 * drop them first. The LSTM runs with a recurrent kernel (its copies are prepared), the kernel
 * gets new rows by donation, and the LSTM runs again: it must give exactly what it gives with
 * the same values in storage it never saw.
 */
function runDonationCase(createBackend: () => KernelBackend): void {
  const engine = new Engine(createBackend());
  const random = new RandomGenerator(seedOf(CASE_ID));
  const sizes = { batch: 4, steps: 6, inputSize: 3, units: 5 };
  const inputs = randomRecurrentInputs(random, OPTIONS, sizes).map((tensor) =>
    engine.keep(engine.tensor(tensor.values, tensor.shape)),
  );
  const run = (recurrentKernel: Tensor) =>
    engine.tidy(
      () =>
        runRecurrentLayer(
          engine,
          inputs.map((input, k) => (k === RECURRENT_KERNEL ? recurrentKernel : input)),
          null,
          OPTIONS,
        ).read() as Float32Array,
    );

  const original = inputs[RECURRENT_KERNEL];
  run(original);
  run(original);
  const newRows = randomHostTensor(random, [2, 4 * sizes.units], { low: -0.6, high: 0.6 });
  const rows = engine.tensor([3, 0], [2], 'int32');
  const updated = ops.scatterUpdate(original, rows, engine.tensor(newRows.values, newRows.shape), {
    donateTable: true,
  });
  const afterDonation = run(updated);
  const inFreshStorage = run(engine.tensor(updated.read(), updated.shape));
  const exact = { absolute: 0, relative: 0 };
  assertAllClose([
    measureCloseness('output sequence and final states', afterDonation, inFreshStorage, [afterDonation.length], exact),
  ]);
}

export function registerDonationCases(registry: CaseRegistry, createBackend: () => KernelBackend): void {
  registry.add(CASE_ID, () => runDonationCase(createBackend));
}
