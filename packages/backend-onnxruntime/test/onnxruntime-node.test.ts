import { onnxRuntimeBackend } from '../src/node.js';
import { describeRuntimeParity } from './runtime-parity.js';

describeRuntimeParity('onnxruntime-node', () => onnxRuntimeBackend());
