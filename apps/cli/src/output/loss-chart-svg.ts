import { buckets } from './loss-chart.js';

/**
 * An SVG line chart of the training loss per batch (averaged to at most 400 points) with the
 * validation loss of each epoch as dots, axes labelled, for `recur train --plot loss.svg`.
 *
 * @example
 * await writeFile('loss.svg', lossChartSvg(record.batchLosses, record.epochs.map((e) => e.val_loss)));
 */
export function lossChartSvg(
  batchLosses: readonly number[],
  validationLosses: readonly (number | undefined)[],
): string {
  const width = 720;
  const height = 360;
  const margin = { left: 64, right: 16, top: 24, bottom: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const points = buckets(batchLosses, 400);
  const validation = validationLosses
    .map((value, epoch) => ({ epoch, value }))
    .filter(
      (point): point is { epoch: number; value: number } => point.value !== undefined && Number.isFinite(point.value),
    );
  const all = [...points, ...validation.map((point) => point.value)];
  const low = all.length > 0 ? Math.min(...all) : 0;
  const high = all.length > 0 ? Math.max(...all) : 1;
  const span = high > low ? high - low : 1;
  const y = (value: number) => margin.top + plotHeight - ((value - low) / span) * plotHeight;
  const x = (fraction: number) => margin.left + fraction * plotWidth;
  const line = points
    .map((value, k) => `${x(points.length === 1 ? 0 : k / (points.length - 1)).toFixed(1)},${y(value).toFixed(1)}`)
    .join(' ');
  const epochs = Math.max(1, validationLosses.length);
  const dots = validation.map(
    (point) =>
      `<circle cx="${x((point.epoch + 1) / epochs).toFixed(1)}" cy="${y(point.value).toFixed(1)}" r="4" fill="#d62728"><title>epoch ${point.epoch + 1}: val_loss ${point.value.toFixed(4)}</title></circle>`,
  );
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => {
    const value = low + fraction * span;
    return `<text x="${margin.left - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value.toPrecision(4)}</text><line x1="${margin.left}" x2="${width - margin.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#eee"/>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...ticks,
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" stroke="#333"/>`,
    `<polyline points="${line}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`,
    ...dots,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 12}" text-anchor="middle">training progress (${batchLosses.length} batches, ${validationLosses.length} epochs)</text>`,
    `<text x="${margin.left}" y="16">loss per batch (blue), validation loss per epoch (red)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
