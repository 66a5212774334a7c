/** Seconds as `m:ss` (or `h:mm:ss`), for ETAs and timings. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-:--';
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** Log values as `loss 1.2345  accuracy 0.4567`, in the order given, skipping progress keys. */
export function formatLogs(logs: Readonly<Record<string, number>>, skip: readonly string[] = []): string {
  return Object.entries(logs)
    .filter(([key]) => !skip.includes(key))
    .map(([key, value]) => `${key} ${formatNumber(value)}`)
    .join('  ');
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e5 || size < 1e-3)) return value.toExponential(3);
  return value.toFixed(4);
}
