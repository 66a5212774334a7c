import type { HostDType, HostTensor } from '../proto/host-tensor.js';
import type { AttributeProto, GraphProto, NodeProto, ValueInfoProto } from '../proto/onnx-messages.js';
import { dataTypeOf, tensorToProto } from '../proto/tensor-proto.js';

/** An output of a new node: a base name, an exact reserved name, or null (unused optional output). */
export type OutputName = string | null | { readonly exact: string };

/** A graph input or output dimension: a number, or a name for a size known only at run time. */
export type GraphDimension = number | string;

/**
 * Collects the nodes, initializers, inputs and outputs of an ONNX graph while an exporter walks
 * a model, keeping every value and node name unique (ONNX requires it). Names are readable:
 * `lstm/W`, `lstm/LSTM`, `lstm/Y`, so a graph viewer shows which layer each node came from.
 */
export class GraphBuilder {
  private readonly nodes: (NodeProto & { input: string[]; output: string[] })[] = [];
  private readonly initializers: ReturnType<typeof tensorToProto>[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly used = new Set<string>();
  private readonly constants = new Map<string, string>();

  /** `base`, or `base_1`, `base_2`, ... if taken; reserves the name. */
  uniqueName(base: string): string {
    let candidate = base;
    for (let k = 1; this.used.has(candidate); k++) candidate = `${base}_${k}`;
    this.used.add(candidate);
    return candidate;
  }

  /** Adds a constant tensor (weights, shapes, axes) and returns its value name. */
  initializer(base: string, tensor: HostTensor): string {
    const name = this.uniqueName(base);
    this.initializers.push(tensorToProto(name, tensor));
    return name;
  }

  /** A 1-D int64 constant, shared between nodes that need the same values (axes, shapes). */
  int64s(values: readonly number[]): string {
    const key = values.join(',');
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = this.initializer(`const/int64/${key.replace(/,/g, '_').replace(/-/g, 'm') || 'empty'}`, {
      dtype: 'int64',
      shape: [values.length],
      data: Float64Array.from(values),
    });
    this.constants.set(key, name);
    return name;
  }

  /**
   * Adds a node. `outputs` gives each output value: a base name (made unique), a name reserved
   * with `reserveOutput` (`{ exact }`, for graph outputs), or `null` for an optional output the
   * graph does not use. Returns the output names.
   */
  node(
    opType: string,
    nodeBase: string,
    inputs: readonly string[],
    outputs: readonly OutputName[],
    attributes: AttributeProto[] = [],
  ): string[] {
    const outputNames = outputs.map((output) =>
      output === null ? '' : typeof output === 'string' ? this.uniqueName(output) : output.exact,
    );
    this.nodes.push({
      name: this.uniqueName(nodeBase),
      opType,
      input: trimTrailingEmpty(inputs),
      output: trimTrailingEmpty(outputNames),
      attribute: attributes,
    });
    return outputNames;
  }

  /** Declares a graph input; its name must be unused. */
  input(name: string, dtype: HostDType, shape: readonly GraphDimension[]): string {
    this.inputs.push(valueInfo(this.uniqueExact(name), dtype, shape));
    return name;
  }

  /** Reserves the name of a graph output before the node producing it is added. */
  reserveOutput(name: string): string {
    return this.uniqueExact(name);
  }

  /**
   * Gives the node that computes `value` the reserved name `exact` for that output, so a graph
   * output needs no Identity node just to carry its name. Returns false, changing nothing, when
   * no node computes `value` (it is a graph input).
   */
  renameNodeOutput(value: string, exact: string): boolean {
    const producer = this.nodes.find((node) => node.output.includes(value));
    if (producer === undefined) return false;
    for (const node of this.nodes) {
      node.output = node.output.map((name) => (name === value ? exact : name));
      node.input = node.input.map((name) => (name === value ? exact : name));
    }
    return true;
  }

  /** Declares a value (already produced by a node under this name) as a graph output. */
  output(name: string, dtype: HostDType, shape: readonly GraphDimension[]): void {
    this.outputs.push(valueInfo(name, dtype, shape));
  }

  build(name: string): GraphProto {
    return { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
  }

  private uniqueExact(name: string): string {
    if (this.used.has(name)) throw new Error(`Internal error: the ONNX value name '${name}' is used twice.`);
    this.used.add(name);
    return name;
  }
}

function valueInfo(name: string, dtype: HostDType, shape: readonly GraphDimension[]): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: dataTypeOf(dtype),
        shape: {
          dim: shape.map((dimension) =>
            typeof dimension === 'number' ? { dimValue: dimension } : { dimParam: dimension },
          ),
        },
      },
    },
  };
}

/** ONNX lets a node leave out trailing optional inputs and outputs; inner ones are written as ''. */
function trimTrailingEmpty(names: readonly string[]): string[] {
  let end = names.length;
  while (end > 0 && names[end - 1] === '') end--;
  return names.slice(0, end);
}
