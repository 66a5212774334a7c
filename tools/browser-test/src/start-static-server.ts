import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A file the static server answers with. */
export interface ServedFile {
  readonly body: Uint8Array | string;
  readonly contentType: string;
}

/** A running static server: its base URL (no trailing slash) and how to stop it. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A static server on 127.0.0.1 at a free port for a browser test, answering from memory: the
 * page, its bundle, models, wasm files. Any other path is a 404, so a wrong URL in the page
 * shows up as a failed request, not a hang.
 *
 * @example
 * const server = await startStaticServer(new Map([['/', { body: '<!doctype html>', contentType: 'text/html' }]]));
 * await page.goto(`${server.url}/`);
 * await server.close();
 */
export async function startStaticServer(files: ReadonlyMap<string, ServedFile>): Promise<StaticServer> {
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
