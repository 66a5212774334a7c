export { tsBackend } from './ts-backend.js';
