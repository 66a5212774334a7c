import { AttributeType, type AttributeProto } from '../proto/onnx-messages.js';

const text = new TextEncoder();

/** One typed ONNX node attribute, written with its `type` discriminator as IR version 2+ requires. */
export const attribute = {
  int: (name: string, value: number): AttributeProto => ({ name, type: AttributeType.INT, i: value }),
  float: (name: string, value: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f: value }),
  string: (name: string, value: string): AttributeProto => ({
    name,
    type: AttributeType.STRING,
    s: text.encode(value),
  }),
  ints: (name: string, values: readonly number[]): AttributeProto => ({
    name,
    type: AttributeType.INTS,
    ints: [...values],
  }),
  floats: (name: string, values: readonly number[]): AttributeProto => ({
    name,
    type: AttributeType.FLOATS,
    floats: [...values],
  }),
  strings: (name: string, values: readonly string[]): AttributeProto => ({
    name,
    type: AttributeType.STRINGS,
    strings: values.map((value) => text.encode(value)),
  }),
};
