// The lab's HTTP server: serves the files certificates point at (the intermediate for AIA caIssuers, the
// CRL) and answers POSTs such as OCSP requests, so chain completion and revocation checks run without the internet.
// Anything else is a 404.

import http from 'node:http';
import net from 'node:net';
import type { LabDelay } from './delay.js';
import { listenOnLoopback } from './listener.js';

export interface LabHttpServer {
  port: number;
  /** The absolute URL of `path` on this server, for a certificate's AIA or CRL distribution point. */
  url(path: string): string;
  /** Serves `body` at `path` (the query string is ignored) from now on. */
  serve(path: string, body: Buffer, contentType: string): void;
  /** Answers POSTs to `path` with what `handler` makes of the request body (at most 64 KiB; more is a 413). */
  handlePost(path: string, handler: PostHandler): void;
  /** Answers every request to `path` with a 302 to `location`, as a hostile CA's web server steering a client would. */
  redirect(path: string, location: string): void;
  close(): Promise<void>;
}

export type PostHandler = (body: Buffer) => { body: Buffer; contentType: string; status?: number };

const MAX_POST_BYTES = 64 * 1024;

interface Served {
  body: Buffer;
  contentType: string;
}

export async function startLabHttp(options: { address: string; port?: number; delay?: LabDelay }): Promise<LabHttpServer> {
  const files = new Map<string, Served>();
  const handlers = new Map<string, PostHandler>();
  const redirects = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const location = redirects.get(pathOf(request.url ?? '/'));
    if (location !== undefined) {
      request.resume();
      response.writeHead(302, { location, 'content-type': 'text/plain' });
      response.end('moved\n');
      return;
    }
    const handler = handlers.get(pathOf(request.url ?? '/'));
    if (handler && request.method === 'POST') {
      answerPost(request, response, handler);
      return;
    }
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
  const listener = await listenOnLoopback(server, options.address, options.port ?? 0, options.delay);
  const host = net.isIPv6(options.address) ? `[${options.address}]` : options.address;
  return {
    port: listener.port,
    url: (path) => `http://${host}:${listener.port}${path.startsWith('/') ? path : `/${path}`}`,
    serve: (path, body, contentType) => {
      files.set(pathOf(path), { body, contentType });
    },
    handlePost: (path, handler) => {
      handlers.set(pathOf(path), handler);
    },
    redirect: (path, location) => {
      redirects.set(pathOf(path), location);
    },
    close: listener.close,
  };
}

function answerPost(request: http.IncomingMessage, response: http.ServerResponse, handler: PostHandler): void {
  const chunks: Buffer[] = [];
  let length = 0;
  request.on('data', (chunk: Buffer) => {
    length += chunk.length;
    if (length <= MAX_POST_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    if (length > MAX_POST_BYTES) {
      response.writeHead(413, { 'content-type': 'text/plain' });
      response.end('request too large\n');
      return;
    }
    let answer: ReturnType<PostHandler>;
    try {
      answer = handler(Buffer.concat(chunks));
    } catch {
      // A handler bug must not take the whole lab down: the client sees a server error instead.
      answer = { status: 500, contentType: 'text/plain', body: Buffer.from('internal error\n') };
    }
    response.writeHead(answer.status ?? 200, { 'content-type': answer.contentType, 'content-length': answer.body.length });
    response.end(answer.body);
  });
}

function pathOf(target: string): string {
  return new URL(target, 'http://lab.invalid').pathname;
}
