import { OnnxFormatError } from '../onnx-errors.js';
import type { HostTensor } from '../proto/host-tensor.js';
import type { OnnxNode } from './onnx-graph.js';

/** Typed attribute readers: a wrong type is a format error naming the node and attribute. */
function read<T>(node: OnnxNode, name: string, fallback: T, check: (value: unknown) => boolean, kind: string): T {
  const value = node.attributes.get(name);
  if (value === undefined) return fallback;
  if (!check(value))
    throw new OnnxFormatError(
      `The ONNX graph's ${node.label} attribute '${name}' must be ${kind}, got ${JSON.stringify(value)}.`,
    );
  return value as T;
}

export const readInt = (node: OnnxNode, name: string, fallback: number): number =>
  read(node, name, fallback, Number.isInteger, 'an int');
export const readFloat = (node: OnnxNode, name: string, fallback: number): number =>
  read(node, name, fallback, (value) => typeof value === 'number', 'a float');
export const readString = (node: OnnxNode, name: string, fallback: string): string =>
  read(node, name, fallback, (value) => typeof value === 'string', 'a string');
export const readInts = (node: OnnxNode, name: string): number[] | null =>
  read<number[] | null>(
    node,
    name,
    null,
    (value) => Array.isArray(value) && value.every((item) => typeof item === 'number'),
    'a list of ints',
  );
export const readFloats = (node: OnnxNode, name: string): number[] | null =>
  read<number[] | null>(
    node,
    name,
    null,
    (value) => Array.isArray(value) && value.every((item) => typeof item === 'number'),
    'a list of floats',
  );
export const readStrings = (node: OnnxNode, name: string): string[] | null =>
  read<string[] | null>(
    node,
    name,
    null,
    (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
    'a list of strings',
  );
export const readTensor = (node: OnnxNode, name: string): HostTensor | null =>
  read<HostTensor | null>(
    node,
    name,
    null,
    (value) => typeof value === 'object' && value !== null && 'data' in value,
    'a tensor',
  );
