import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file the test server answers with. */
export interface ServedFile {
  readonly body: Uint8Array | string;
  readonly contentType: string;
}

/**
 * A static server on 127.0.0.1 at a free port for the browser test: the page, the bundle, the
 * models and onnxruntime-web's files, all from memory. Anything else is a 404, so a wrong
 * `wasmPaths` shows up as a failed request, not a hang.
 */
export async function startTestServer(files: ReadonlyMap<string, ServedFile>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files.get(path);
    if (file === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
