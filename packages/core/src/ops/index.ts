export * from './arithmetic.js';
export * from './linear-algebra.js';
export * from './reduction.js';
export * from './structure.js';
export * from './indexing.js';
