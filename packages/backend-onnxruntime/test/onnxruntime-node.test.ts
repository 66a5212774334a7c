import { tsBackend } from '@recur/backend-ts';
import { runGraphBackendSuite } from '@recur/conformance';
import { onnxRuntimeBackend } from '../src/node.js';

runGraphBackendSuite({
  name: 'onnxruntime-node',
  createBackend: () => onnxRuntimeBackend(),
  createReferenceBackend: tsBackend,
});
