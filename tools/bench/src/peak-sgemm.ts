import { onnxMatMulGraph } from './systems/onnx-lstm-graph.js';

export interface SgemmPeak {
  readonly gflops: number;
  readonly method: string;
}

/**
 * The machine's single-core matrix-multiply peak: ONNX Runtime's MatMul (MLAS sgemm) on one
 * thread, [n x n] x [n x n] for a few n, the best call after warm-up. MLAS is the fastest sgemm
 * among the systems installed here, so "share of peak" compares with what the core can do.
 *
 * @example
 * const { gflops } = await measureSgemmPeak(); // e.g. 60
 */
export async function measureSgemmPeak(sizes: readonly number[] = [256, 512, 1024], calls = 10): Promise<SgemmPeak> {
  let best: SgemmPeak = { gflops: 0, method: '' };
  for (const n of sizes) {
    const peak = await matMulGflops(n, calls);
    if (peak.gflops > best.gflops) best = peak;
  }
  return best;
}

async function matMulGflops(n: number, calls: number): Promise<SgemmPeak> {
  const ort = await import('onnxruntime-node');
  const session = await ort.InferenceSession.create(onnxMatMulGraph(n), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const random = () => Float32Array.from({ length: n * n }, (_, k) => ((k * 2654435761) % 1000) / 1000 - 0.5);
  const feeds = { a: new ort.Tensor('float32', random(), [n, n]), b: new ort.Tensor('float32', random(), [n, n]) };
  let best = Infinity;
  for (let k = 0; k < calls + 2; k++) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (k >= 2) best = Math.min(best, seconds);
  }
  await session.release();
  return {
    gflops: (2 * n ** 3) / best / 1e9,
    method: `onnxruntime-node ${ort.env.versions.common} MatMul ${n}x${n}x${n}, 1 thread, best of ${calls}`,
  };
}
