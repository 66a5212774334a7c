import { tsBackend } from '@recur/backend-ts';
import type { KernelBackend } from '@recur/core';

/** backend-ts whose matrix product always fails: a worker computing with it must report the failure. */
export function failingMatmulBackend(): KernelBackend {
  return {
    ...tsBackend(),
    matmul() {
      throw new Error('injected matmul failure');
    },
  };
}

/** backend-ts under another name: a worker must refuse it for a model built on plain backend-ts. */
export function renamedBackend(): KernelBackend {
  return { ...tsBackend(), name: 'ts-renamed' };
}
