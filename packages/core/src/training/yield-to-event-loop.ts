/**
 * Resolves after the event loop has had a turn, so between training batches a progress bar can
 * render and a Ctrl-C (SIGINT) handler can run. Node's setImmediate costs microseconds; browsers
 * fall back to setTimeout.
 */
export function yieldToEventLoop(): Promise<void> {
  const setImmediateFunction = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => {
    if (typeof setImmediateFunction === 'function') setImmediateFunction(resolve);
    else setTimeout(resolve, 0);
  });
}
