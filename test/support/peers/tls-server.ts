// A TLS peer on loopback: a test certificate, optional client-certificate request, version limits, ALPN,
// and a handler for each secured connection.

import tls from 'node:tls';
import { listen, type Listener } from './listener.js';

export interface TlsServerOptions {
  certPem: string;
  keyPem: string;
  /** Sent after the certificate, as a server's configured chain. */
  chainPem?: string;
  /** Ask for a client certificate, trusting these roots. */
  clientCaPem?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  alpn?: string[];
  onSecure?: (socket: tls.TLSSocket) => void;
}

export interface TlsServer extends Listener {
  /** The client certificates presented, base64 DER, one entry per handshake ('' when none). */
  clientCertificates: string[];
}

export async function startTlsServer(options: TlsServerOptions): Promise<TlsServer> {
  const clientCertificates: string[] = [];
  const server = tls.createServer({
    cert: options.certPem + (options.chainPem ?? ''),
    key: options.keyPem,
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
    ciphers: options.ciphers,
    ALPNProtocols: options.alpn,
    requestCert: options.clientCaPem !== undefined,
    rejectUnauthorized: false,
    ca: options.clientCaPem,
  });
  server.on('tlsClientError', () => undefined);
  server.on('secureConnection', (socket) => {
    socket.on('error', () => undefined);
    clientCertificates.push(socket.getPeerCertificate().raw?.toString('base64') ?? '');
    options.onSecure?.(socket);
  });
  const listener = await listen(server);
  return { ...listener, clientCertificates };
}
