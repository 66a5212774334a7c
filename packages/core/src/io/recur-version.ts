/**
 * The version of @recur/core, written into saved models' metadata so a file says what made it.
 * Kept equal to package.json's "version" by a test (a JSON import would not survive the build's rootDir).
 */
export const RECUR_VERSION = '0.1.0';
