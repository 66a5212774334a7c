import { runConformanceSuite } from '@recur/conformance';
import { tsBackend } from '../src/index.js';

// The whole backend conformance suite (primitives, gradients, fused kernel, PyTorch goldens).
runConformanceSuite({ name: 'ts', createBackend: tsBackend });
