import { OnnxFormatError, OnnxUnsupportedError } from '../onnx-errors.js';
import type { HostDType, HostTensor } from '../proto/host-tensor.js';
import { int64ToNumber } from '../proto/int64.js';
import { AttributeType, type AttributeProto, type ModelProto, type ValueInfoProto } from '../proto/onnx-messages.js';
import { hostDTypeOf, tensorFromProto } from '../proto/tensor-proto.js';

export type AttributeValue = number | string | HostTensor | number[] | string[];

/** One node of the graph, with its attributes decoded. */
export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  /** Input value names; '' marks an optional input that is absent. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, AttributeValue>;
  /** How messages name the node: `node '/rnn/LSTM' (LSTM)`. */
  readonly label: string;
}

/** A graph input or output: name, element type and dimensions (a name or null when not fixed). */
export interface GraphValueInfo {
  readonly name: string;
  readonly dtype: HostDType;
  readonly shape: readonly (number | string | null)[] | null;
}

/** A decoded, checked ONNX graph: everything Recur needs to run or convert it. */
export interface OnnxGraph {
  readonly opset: number;
  readonly inputs: readonly GraphValueInfo[];
  readonly outputs: readonly GraphValueInfo[];
  readonly initializers: ReadonlyMap<string, HostTensor>;
  readonly nodes: readonly OnnxNode[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly producer: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Checks a decoded model and turns it into an OnnxGraph: the default-domain opset, every
 * initializer read (with size checks), every node's attributes decoded, every node input
 * defined before use (ONNX graphs are topologically sorted), and every operator known to
 * `checkOperator`, so an unsupported model fails here, naming the node, before anything runs.
 */
export function parseGraph(model: ModelProto, checkOperator: (node: OnnxNode, opset: number) => void): OnnxGraph {
  const graph = model.graph!;
  const opsetEntry = (model.opsetImport ?? []).find(
    (entry) => (entry.domain ?? '') === '' || entry.domain === 'ai.onnx',
  );
  if (opsetEntry === undefined)
    throw new OnnxFormatError('The ONNX model imports no default-domain operator set (opset_import is empty).');
  const opset = int64ToNumber(opsetEntry.version, 'opset_import version');

  const initializers = new Map<string, HostTensor>();
  for (const [k, proto] of (graph.initializer ?? []).entries()) {
    const name = proto.name ?? '';
    if (name === '') throw new OnnxFormatError(`Initializer ${k} of the graph has no name.`);
    initializers.set(name, tensorFromProto(proto, `initializer '${name}'`));
  }
  const inputs = (graph.input ?? [])
    .filter((value) => !initializers.has(value.name ?? ''))
    .map((value) => valueInfo(value, 'graph input'));
  const outputs = (graph.output ?? []).map((value) => valueInfo(value, 'graph output'));

  const defined = new Set<string>([...initializers.keys(), ...inputs.map((input) => input.name)]);
  const nodes: OnnxNode[] = [];
  for (const [k, proto] of (graph.node ?? []).entries()) {
    const opType = proto.opType ?? '';
    const name = proto.name !== undefined && proto.name !== '' ? proto.name : `#${k}`;
    const label = `node '${name}' (${opType === '' ? 'no op_type' : opType})`;
    if ((proto.domain ?? '') !== '' && proto.domain !== 'ai.onnx') {
      throw new OnnxUnsupportedError(
        `The ONNX graph's ${label} is from operator domain '${proto.domain}'; Recur imports standard ONNX operators only.`,
      );
    }
    const attributes = new Map<string, AttributeValue>();
    for (const attribute of proto.attribute ?? [])
      attributes.set(attribute.name ?? '', attributeValue(attribute, label));
    const node: OnnxNode = {
      name,
      opType,
      inputs: [...(proto.input ?? [])],
      outputs: [...(proto.output ?? [])],
      attributes,
      label,
    };
    for (const input of node.inputs) {
      if (input !== '' && !defined.has(input)) {
        throw new OnnxFormatError(
          `The ONNX graph's ${label} reads '${input}', which no earlier node, input or initializer defines (the graph is not sorted or is broken).`,
        );
      }
    }
    checkOperator(node, opset);
    for (const output of node.outputs) if (output !== '') defined.add(output);
    nodes.push(node);
  }
  for (const output of outputs) {
    if (!defined.has(output.name))
      throw new OnnxFormatError(`The ONNX graph's output '${output.name}' is computed by no node.`);
  }
  const metadata: Record<string, string> = {};
  for (const entry of model.metadataProps ?? []) metadata[entry.key ?? ''] = entry.value ?? '';
  return {
    opset,
    inputs,
    outputs,
    initializers,
    nodes,
    metadata,
    producer: `${model.producerName ?? ''} ${model.producerVersion ?? ''}`.trim(),
  };
}

function valueInfo(value: ValueInfoProto, what: string): GraphValueInfo {
  const name = value.name ?? '';
  const tensorType = value.type?.tensorType;
  if (tensorType === undefined || tensorType === null) {
    throw new OnnxUnsupportedError(
      `The ${what} '${name}' is not a tensor (sequences, maps and optionals are not supported).`,
    );
  }
  const dims = tensorType.shape?.dim;
  const shape =
    dims === undefined || tensorType.shape === null
      ? null
      : dims.map((dimension, axis) =>
          dimension.dimParam !== undefined && dimension.dimParam !== ''
            ? dimension.dimParam
            : dimension.dimValue !== undefined
              ? int64ToNumber(dimension.dimValue, `${what} '${name}' dim ${axis}`)
              : null,
        );
  return { name, dtype: hostDTypeOf(tensorType.elemType ?? 0, `The ${what} '${name}'`), shape };
}

function attributeValue(attribute: AttributeProto, label: string): AttributeValue {
  const what = `${label} attribute '${attribute.name ?? ''}'`;
  switch (attribute.type) {
    case AttributeType.FLOAT:
      return attribute.f ?? 0;
    case AttributeType.INT:
      return int64ToNumber(attribute.i, what, true);
    case AttributeType.STRING:
      return utf8.decode(attribute.s ?? new Uint8Array(0));
    case AttributeType.TENSOR:
      return tensorFromProto(attribute.t ?? {}, what);
    case AttributeType.FLOATS:
      return [...(attribute.floats ?? [])];
    case AttributeType.INTS:
      return (attribute.ints ?? []).map((value, k) => int64ToNumber(value, `${what}[${k}]`, true));
    case AttributeType.STRINGS:
      return (attribute.strings ?? []).map((value) => utf8.decode(value));
    default:
      throw new OnnxUnsupportedError(
        `${what} has attribute type ${attribute.type ?? 'none'} (graphs, sparse tensors and type protos are not supported).`,
      );
  }
}
