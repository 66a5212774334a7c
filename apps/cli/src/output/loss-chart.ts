const TICKS = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of `values`, averaged into at most `width` buckets.
 *
 * @example
 * sparkline([3, 2.5, 2, 1.8, 1.7], 5); // '█▅▂▁▁'
 */
export function sparkline(values: readonly number[], width: number): string {
  const points = buckets(values, width);
  if (points.length === 0) return '';
  const low = Math.min(...points);
  const high = Math.max(...points);
  return points
    .map((value) => TICKS[high > low ? Math.round(((value - low) / (high - low)) * (TICKS.length - 1)) : 0])
    .join('');
}

/**
 * A small ASCII line chart (y axis labelled with the range), `height` rows by up to `width`
 * columns, of `values` averaged into buckets.
 *
 * @example
 * console.log(asciiChart(batchLosses, { width: 60, height: 8 }).join('\n'));
 */
export function asciiChart(values: readonly number[], options: { width: number; height: number }): string[] {
  const points = buckets(values, options.width);
  if (points.length === 0) return [];
  const low = Math.min(...points);
  const high = Math.max(...points);
  const rows = Array.from({ length: options.height }, () => Array<string>(points.length).fill(' '));
  points.forEach((value, column) => {
    const level = high > low ? Math.round(((value - low) / (high - low)) * (options.height - 1)) : 0;
    rows[options.height - 1 - level][column] = '*';
  });
  const labelWidth = Math.max(format(high).length, format(low).length);
  return rows.map((row, k) => {
    const label = k === 0 ? format(high) : k === options.height - 1 ? format(low) : '';
    return `${label.padStart(labelWidth)} |${row.join('')}`;
  });
}

/** Means of consecutive runs of `values`, at most `width` of them. */
export function buckets(values: readonly number[], width: number): number[] {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length <= width) return [...finite];
  return Array.from({ length: width }, (_, k) => {
    const begin = Math.floor((k * finite.length) / width);
    const end = Math.floor(((k + 1) * finite.length) / width);
    let sum = 0;
    for (let j = begin; j < end; j++) sum += finite[j];
    return sum / (end - begin);
  });
}

function format(value: number): string {
  return value.toPrecision(4);
}
