export { tfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';
