import { mulberry32 } from '../mulberry32.js';
import type { WorkloadName } from '../workloads.js';
import { ATTRIBUTE_INT, ATTRIBUTE_INTS, ModelProto, ONNX_FLOAT, ONNX_INT64, ONNX_INT32 } from './onnx-schema.js';

/** IR 8 / opset 17: LSTM has its `layout` attribute (opset 14+), Squeeze takes axes as an input (13+). */
const IR_VERSION = 8;
const OPSET = 17;

interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: readonly { name: string; type: number; i?: number; ints?: number[] }[];
}

interface Value {
  readonly name: string;
  readonly elemType: number;
  readonly shape: readonly number[];
}

interface Initializer {
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly bytes: Uint8Array;
}

/** A small graph under construction: nodes, named weights, inputs and outputs. */
class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Initializer[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  private readonly random = mulberry32(7);

  /** A float weight drawn uniformly from [-0.1, 0.1]; the values do not change the timings. */
  weight(name: string, dims: readonly number[]): string {
    const values = Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => 0.2 * this.random() - 0.1);
    this.initializers.push({ name, dataType: ONNX_FLOAT, dims, bytes: new Uint8Array(values.buffer) });
    return name;
  }

  int64s(name: string, values: readonly number[]): string {
    const bytes = new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);
    this.initializers.push({ name, dataType: ONNX_INT64, dims: [values.length], bytes });
    return name;
  }

  node(op: string, inputs: readonly string[], outputs: readonly string[], attributes?: Node['attributes']): void {
    this.nodes.push({ op, inputs, outputs, attributes });
  }

  /**
   * One ONNX LSTM (layout 0: X is [T, N, I]) with weights W [1, 4H, I], R [1, 4H, H], B [1, 8H]
   * in ONNX's gate order i, o, f, c, and default activations (sigmoid, tanh, tanh). Returns the
   * names of Y [T, 1, N, H], Y_h and Y_c [1, N, H].
   */
  lstm(
    prefix: string,
    x: string,
    inputSize: number,
    units: number,
    initialState?: [string, string],
  ): [string, string, string] {
    const w = this.weight(`${prefix}/W`, [1, 4 * units, inputSize]);
    const r = this.weight(`${prefix}/R`, [1, 4 * units, units]);
    const b = this.weight(`${prefix}/B`, [1, 8 * units]);
    const outputs: [string, string, string] = [`${prefix}/Y`, `${prefix}/Y_h`, `${prefix}/Y_c`];
    const inputs = initialState === undefined ? [x, w, r, b] : [x, w, r, b, '', initialState[0], initialState[1]];
    this.node('LSTM', inputs, outputs, [
      { name: 'hidden_size', type: ATTRIBUTE_INT, i: units },
      { name: 'layout', type: ATTRIBUTE_INT, i: 0 },
    ]);
    return outputs;
  }

  encode(name: string): Uint8Array {
    const valueInfo = (value: Value) => ({
      name: value.name,
      type: { tensor_type: { elem_type: value.elemType, shape: { dim: value.shape.map((d) => ({ dim_value: d })) } } },
    });
    const model = ModelProto.create({
      ir_version: IR_VERSION,
      producer_name: 'recur-bench (hand-built)',
      opset_import: [{ domain: '', version: OPSET }],
      graph: {
        name,
        node: this.nodes.map((node, k) => ({
          name: `${node.op}_${k}`,
          op_type: node.op,
          input: [...node.inputs],
          output: [...node.outputs],
          attribute: (node.attributes ?? []).map((attribute) => ({ ...attribute })),
        })),
        initializer: this.initializers.map((tensor) => ({
          name: tensor.name,
          data_type: tensor.dataType,
          dims: [...tensor.dims],
          raw_data: tensor.bytes,
        })),
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
    });
    return ModelProto.encode(model).finish();
  }
}

/**
 * The hand-built ONNX model of a workload's inference, independent of Recur's exporter:
 * - charlm: x [128, 40, 64] -> Transpose -> LSTM(128) -> last h -> Gemm(64) -> Softmax
 * - sentiment: ids [32, 80] int32 -> Transpose -> Gather(embedding 20000 x 128) -> LSTM(128) -> Gemm(1) -> Sigmoid
 * - timeseries: x [32, 50, 1] -> Transpose -> LSTM(50) -> Gemm(1)
 * - stream: x [1, 1, 64] and h/c of two LSTM(256) layers in, their new values out (one step).
 *
 * @example
 * const session = await ort.InferenceSession.create(onnxLstmGraph('charlm'));
 */
export function onnxLstmGraph(workload: WorkloadName): Uint8Array {
  const graph = new GraphBuilder();
  const lastStepHead = (
    hidden: string,
    units: number,
    outputs: number,
    activation: 'Softmax' | 'Sigmoid' | null,
  ): void => {
    graph.node('Squeeze', [hidden, graph.int64s('axes_0', [0])], ['h_last']);
    const logits = activation === null ? 'y' : 'logits';
    graph.node(
      'Gemm',
      ['h_last', graph.weight('dense/kernel', [units, outputs]), graph.weight('dense/bias', [outputs])],
      [logits],
    );
    if (activation !== null) graph.node(activation, [logits], ['y']);
  };
  const timeMajor = (x: string): string => {
    graph.node(
      'Transpose',
      [x],
      [`${x}_time_major`],
      [{ name: 'perm', type: ATTRIBUTE_INTS, ints: workload === 'sentiment' ? [1, 0] : [1, 0, 2] }],
    );
    return `${x}_time_major`;
  };
  switch (workload) {
    case 'charlm': {
      graph.inputs.push({ name: 'x', elemType: ONNX_FLOAT, shape: [128, 40, 64] });
      const [, hidden] = graph.lstm('lstm', timeMajor('x'), 64, 128);
      lastStepHead(hidden, 128, 64, 'Softmax');
      graph.outputs.push({ name: 'y', elemType: ONNX_FLOAT, shape: [128, 64] });
      break;
    }
    case 'sentiment': {
      graph.inputs.push({ name: 'x', elemType: ONNX_INT32, shape: [32, 80] });
      graph.node('Gather', [graph.weight('embedding', [20000, 128]), timeMajor('x')], ['embedded']);
      const [, hidden] = graph.lstm('lstm', 'embedded', 128, 128);
      lastStepHead(hidden, 128, 1, 'Sigmoid');
      graph.outputs.push({ name: 'y', elemType: ONNX_FLOAT, shape: [32, 1] });
      break;
    }
    case 'timeseries': {
      graph.inputs.push({ name: 'x', elemType: ONNX_FLOAT, shape: [32, 50, 1] });
      const [, hidden] = graph.lstm('lstm', timeMajor('x'), 1, 50);
      lastStepHead(hidden, 50, 1, null);
      graph.outputs.push({ name: 'y', elemType: ONNX_FLOAT, shape: [32, 1] });
      break;
    }
    case 'stream': {
      const state = (name: string): Value => ({ name, elemType: ONNX_FLOAT, shape: [1, 1, 256] });
      graph.inputs.push(
        { name: 'x', elemType: ONNX_FLOAT, shape: [1, 1, 64] },
        state('h1'),
        state('c1'),
        state('h2'),
        state('c2'),
      );
      // With one step and a batch of 1, [N, T, I] and [T, N, I] are the same bytes: no transpose.
      const [y1, h1, c1] = graph.lstm('lstm_1', 'x', 64, 256, ['h1', 'c1']);
      graph.node('Squeeze', [y1, graph.int64s('axes_1', [1])], ['y1']);
      const [, h2, c2] = graph.lstm('lstm_2', 'y1', 256, 256, ['h2', 'c2']);
      graph.node('Identity', [h1], ['h1_next']);
      graph.node('Identity', [c1], ['c1_next']);
      graph.node('Identity', [h2], ['h2_next']);
      graph.node('Identity', [c2], ['c2_next']);
      graph.outputs.push(state('h1_next'), state('c1_next'), state('h2_next'), state('c2_next'));
      break;
    }
  }
  return graph.encode(`${workload}-hand-built`);
}

/** A single MatMul of two [n, n] float inputs `a` and `b`, for the machine's sgemm peak. */
export function onnxMatMulGraph(n: number): Uint8Array {
  const graph = new GraphBuilder();
  graph.inputs.push(
    { name: 'a', elemType: ONNX_FLOAT, shape: [n, n] },
    { name: 'b', elemType: ONNX_FLOAT, shape: [n, n] },
  );
  graph.node('MatMul', ['a', 'b'], ['c']);
  graph.outputs.push({ name: 'c', elemType: ONNX_FLOAT, shape: [n, n] });
  return graph.encode('matmul');
}
