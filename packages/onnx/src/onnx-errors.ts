import { ValueError } from '@recur/core';

/** The bytes are not a well-formed ONNX model (truncated, corrupted, or values out of range). */
export class OnnxFormatError extends ValueError {}

/**
 * The model is well formed but uses something this version cannot import or export (an
 * operator, an attribute value, a layer kind). The message names the node or layer.
 */
export class OnnxUnsupportedError extends ValueError {}
