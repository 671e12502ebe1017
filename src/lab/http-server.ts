// The lab's HTTP server: serves the files certificates point at (the intermediate for AIA caIssuers, the
// CRL), so chain completion and revocation checks run without the internet. Anything else is a 404.

import http from 'node:http';
import net from 'node:net';
import { listenOnLoopback } from './listener.js';

export interface LabHttpServer {
  port: number;
  /** The absolute URL of `path` on this server, for a certificate's AIA or CRL distribution point. */
  url(path: string): string;
  /** Serves `body` at `path` (the query string is ignored) from now on. */
  serve(path: string, body: Buffer, contentType: string): void;
  close(): Promise<void>;
}

interface Served {
  body: Buffer;
  contentType: string;
}

export async function startLabHttp(options: { address: string; port?: number }): Promise<LabHttpServer> {
  const files = new Map<string, Served>();
  const server = http.createServer((request, response) => {
    // Request bodies are never read; resuming discards them so the connection is not held up.
    request.resume();
    const file = files.get(pathOf(request.url ?? '/'));
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' });
      response.end('method not allowed\n');
      return;
    }
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  });
  const listener = await listenOnLoopback(server, options.address, options.port ?? 0);
  const host = net.isIPv6(options.address) ? `[${options.address}]` : options.address;
  return {
    port: listener.port,
    url: (path) => `http://${host}:${listener.port}${path.startsWith('/') ? path : `/${path}`}`,
    serve: (path, body, contentType) => {
      files.set(pathOf(path), { body, contentType });
    },
    close: listener.close,
  };
}

function pathOf(target: string): string {
  return new URL(target, 'http://lab.invalid').pathname;
}
