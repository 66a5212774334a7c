import type { Layer, SymbolicShape } from '../layers/layer.js';

export interface SummaryRow {
  readonly name: string;
  readonly kind: string;
  readonly outputShape: SymbolicShape;
  readonly parameters: number;
  readonly trainableParameters: number;
}

const group = (n: number): string => n.toLocaleString('en-US');

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

function formatOutputShape(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** Rows of a summary, computed from the spec alone (no backend). */
export function summaryRows(layers: readonly Layer[], shapes: readonly SymbolicShape[]): SummaryRow[] {
  return layers.map((layer, k) => {
    const specs = layer.weightSpecs(shapes[k]);
    const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);
    return {
      name: layer.name,
      kind: layer.kind,
      outputShape: shapes[k + 1],
      parameters: specs.reduce((total, spec) => total + size(spec.shape), 0),
      trainableParameters: specs.filter((spec) => spec.trainable).reduce((total, spec) => total + size(spec.shape), 0),
    };
  });
}

/** A Keras-style table: layer (type), output shape, parameter count, then totals (float32 bytes). */
export function formatSummary(modelName: string, rows: readonly SummaryRow[]): string {
  const header = ['Layer (type)', 'Output Shape', 'Param #'];
  const cells = rows.map((row) => [
    `${row.name} (${row.kind})`,
    formatOutputShape(row.outputShape),
    group(row.parameters),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)) + 2);
  const line = (left: string, middle: string, right: string, fill: string) =>
    left + widths.map((width) => fill.repeat(width)).join(middle) + right;
  const row = (values: string[], edge: string) =>
    edge +
    values
      .map((value, column) =>
        column === 2 ? ` ${value.padStart(widths[column] - 2)} ` : ` ${value.padEnd(widths[column] - 2)} `,
      )
      .join(edge) +
    edge;
  const total = rows.reduce((sum, r) => sum + r.parameters, 0);
  const trainable = rows.reduce((sum, r) => sum + r.trainableParameters, 0);
  return [
    `Model: "${modelName}"`,
    line('┏', '┳', '┓', '━'),
    row(header, '┃'),
    line('┡', '╇', '┩', '━'),
    ...cells.map((values) => row(values, '│')),
    line('└', '┴', '┘', '─'),
    ` Total params: ${group(total)} (${formatBytes(total * 4)})`,
    ` Trainable params: ${group(trainable)} (${formatBytes(trainable * 4)})`,
    ` Non-trainable params: ${group(total - trainable)} (${formatBytes((total - trainable) * 4)})`,
  ].join('\n');
}
