// TLS probe: one handshake as a modern partner would make it, recorded without judging, and which protocol
// versions a listener accepts. Weak peers are allowed on purpose (SECLEVEL=0) so that they can be observed.
// The server's raw bytes are kept (bounded) to tell whether it asked for a client certificate, and what a port
// that answers without TLS sent instead.

import net from 'node:net';
import tls from 'node:tls';
import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import type { ProbeOutcome } from '../model/facts.js';
import { TLS_VERSIONS, type SessionFailure, type TlsSession, type TlsVersion, type TlsVersionSupport } from '../model/protocol-facts.js';
import { readCertificateRequest, type HandshakeCapture } from './certificate-request.js';
import { describeNonTlsAnswer, startsLikeTls } from './non-tls-answer.js';
import { RecordingStream } from './recording-stream.js';
import type { NetContext } from './connector.js';
import { describeError } from '../model/errors.js';
import {
  closeSocket,
  connectSocket,
  elapsedSince,
  failureFromError,
  ignoreError,
  remainingContext,
  startBudget,
  timeoutFailure,
  withinBudget,
  type Budget,
} from './socket.js';

export type ClientCertificate = { certPem: string; keyPem: string; passphrase?: string } | { pfx: Buffer; passphrase?: string };

export interface TlsOptions {
  /** SNI; an IP address is not sent (RFC 6066 allows host names only). */
  servername: string;
  /** Trusted in addition to Node's bundled roots (--ca-file). */
  extraCaPem?: string[];
  clientCertificate?: ClientCertificate;
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  alpn?: string[];
  /**
   * Gives up this soon when the peer has sent nothing at all in answer to the ClientHello, so a probe keeps the rest
   * of its budget to ask in plain text what listens there. Without it the whole budget is waited.
   */
  silenceLimitMs?: number;
  /**
   * false: nothing judges this session's chain (a version probe only asks whether the handshake completes), so the
   * context leaves out Node's bundled roots, whose loading is what makes a context cost tens of milliseconds, and the
   * chain is not read from the connection either (the session's `peerChain` is empty): reading it was the largest
   * share of a many-domain run's CPU, eight of every ten handshakes being version probes.
   */
  trustBundledRoots?: boolean;
}

/**
 * `peerSilent`: the peer sent no byte at all before the failure (silence, a close, a reset). `localRefusal`: our own
 * OpenSSL refused to send a ClientHello for these settings (its build or policy cannot offer the versions asked for);
 * the peer was never asked anything.
 */
export type TlsHandshakeResult =
  | { socket: tls.TLSSocket; session: TlsSession }
  | { failure: SessionFailure; peerSilent?: boolean; localRefusal?: string };

/** Prepares a plain socket for TLS (an XMPP STARTTLS exchange); undefined when the socket is ready. */
export type TlsPreamble = (socket: net.Socket, context: NetContext) => Promise<SessionFailure | undefined>;

/** fedcheck's own TLS inputs are unusable (a client certificate that does not load): not the peer's doing. */
export class TlsSetupError extends Error {
  override readonly name = 'TlsSetupError';
}

// Lets 1024-bit keys, SHA-1 signatures and old ciphers through the handshake so the checks can name them.
const WEAK_PEERS_ALLOWED = 'DEFAULT:@SECLEVEL=0';
const CLIENT_HELLO_RECORD = 0x16;
// The server's flight up to its Finished: a certificate chain of a few kilobytes, rarely more than 16 KiB.
const HANDSHAKE_CAPTURE_BYTES = 64 * 1024;
const SERVER_HANDSHAKE_SECRET = /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]+ ([0-9a-f]+)/i;

// Loading Node's ~140 roots into a context costs tens of milliseconds of blocked event loop; a run makes hundreds of
// connections with a handful of distinct settings, so each context is built on first use and kept for the process.
const contextCache = new Map<string, tls.SecureContext>();
const CONTEXT_CACHE_LIMIT = 64;

function contextKey(options: TlsOptions): string {
  const hash = createHash('sha256');
  const credentials = options.clientCertificate;
  for (const part of [
    options.trustBundledRoots === false ? 'own-anchors-only' : 'bundled-roots',
    options.minVersion ?? '',
    options.maxVersion ?? '',
    ...(options.extraCaPem ?? []),
    ...(credentials && 'pfx' in credentials ? [credentials.pfx.toString('base64')] : [credentials?.certPem ?? '', credentials?.keyPem ?? '']),
    credentials?.passphrase ?? '',
  ]) {
    hash.update(part).update('\0');
  }
  return hash.digest('hex');
}

/** The client context for our inputs, built once per distinct settings; throws TlsSetupError when unusable. */
export function createClientContext(options: TlsOptions): tls.SecureContext {
  const key = contextKey(options);
  let context = contextCache.get(key);
  if (context === undefined) {
    context = buildClientContext(options);
    if (contextCache.size >= CONTEXT_CACHE_LIMIT) contextCache.clear();
    contextCache.set(key, context);
  }
  return context;
}

function buildClientContext(options: TlsOptions): tls.SecureContext {
  const credentials = options.clientCertificate;
  try {
    return tls.createSecureContext({
      // Explicit, even without --ca-file: Node's default store would add NODE_EXTRA_CA_CERTS or the system's store,
      // and `authorized` must mean what chain analysis judges against (src/pki/trust.ts). The --ca-file certificates
      // stay in a context without roots: OpenSSL completes our client certificate's chain from them.
      ca: [...(options.trustBundledRoots === false ? [] : tls.rootCertificates), ...(options.extraCaPem ?? [])],
      ciphers: WEAK_PEERS_ALLOWED,
      minVersion: options.minVersion ?? 'TLSv1.2',
      maxVersion: options.maxVersion ?? 'TLSv1.3',
      ...(credentials && 'pfx' in credentials
        ? { pfx: credentials.pfx, passphrase: credentials.passphrase }
        : credentials && { cert: credentials.certPem, key: credentials.keyPem, passphrase: credentials.passphrase }),
    });
  } catch (error) {
    const what = credentials ? 'the client certificate or key' : 'the extra CA certificates';
    throw new TlsSetupError(`${what} could not be loaded: ${describeError(error)}`);
  }
}

/**
 * One TLS handshake over `socketOrTarget` (a socket after a STARTTLS preamble, or an address to connect to).
 * Throws TlsSetupError before any I/O of its own when our inputs are unusable.
 */
export function tlsHandshake(
  socketOrTarget: net.Socket | { address: string; port: number },
  options: TlsOptions,
  context: NetContext,
): Promise<TlsHandshakeResult> {
  return tlsHandshakeWithin(socketOrTarget, options, startBudget(context));
}

/** tlsHandshake as one step of a probe, within the probe's budget. */
export async function tlsHandshakeWithin(
  socketOrTarget: net.Socket | { address: string; port: number },
  options: TlsOptions,
  budget: Budget,
): Promise<TlsHandshakeResult> {
  const secureContext = createClientContext(options);
  let plain: net.Socket;
  if (socketOrTarget instanceof net.Socket) {
    plain = socketOrTarget;
  } else {
    const connected = await connectSocket(socketOrTarget.address, socketOrTarget.port, budget);
    if ('failure' in connected) return connected;
    plain = connected.socket;
  }
  const startedAt = performance.now();
  let silenceTimer: NodeJS.Timeout | undefined;
  let startSilenceClock: (() => void) | undefined;
  let helloSent = false;
  let firstRecordType: number | undefined;
  // TLS runs over a recording stream: the server's raw handshake says whether it asked for a client certificate.
  const wire = new RecordingStream(plain, HANDSHAKE_CAPTURE_BYTES, {
    // The silence is counted from the ClientHello on the wire, not from our own setup before it.
    onFirstWrite: (chunk) => {
      helloSent = true;
      firstRecordType = chunk[0];
      startSilenceClock?.();
    },
    onFirstRead: () => {
      startSilenceClock = undefined;
      clearTimeout(silenceTimer);
    },
  });
  let serverHandshakeSecret: Buffer | undefined;
  const onKeylog = (line: Buffer) => {
    const secret = SERVER_HANDSHAKE_SECRET.exec(line.toString('latin1'))?.[1];
    if (secret) serverHandshakeSecret = Buffer.from(secret, 'hex');
  };
  const socket = tls.connect({
    socket: wire,
    secureContext,
    servername: net.isIP(options.servername) ? undefined : options.servername,
    ALPNProtocols: options.alpn,
    rejectUnauthorized: false,
    // `authorized` then means the chain only; name matching (DNS-ID, SRV-ID, sip: URI) is the checks' job.
    checkServerIdentity: () => undefined,
  });
  socket.on('keylog', onKeylog);
  const capture = (): HandshakeCapture => ({
    bytes: wire.recorded,
    truncated: wire.truncated,
    ...(serverHandshakeSecret ? { serverHandshakeSecret } : {}),
  });
  const fail = (failure: SessionFailure, localRefusal?: string): TlsHandshakeResult => {
    socket.destroy();
    wire.destroy();
    const received = wire.recorded;
    if (received.length === 0) return localRefusal === undefined ? { failure, peerSilent: true } : { failure, peerSilent: true, localRefusal };
    if (startsLikeTls(received) === false) failure.nonTlsAnswer = describeNonTlsAnswer(received, 'client-hello');
    else {
      // A TLS 1.2 server that asked for a certificate and then refused the handshake without one says so here.
      const request = readCertificateRequest(capture());
      if (request.requested !== 'unknown') failure.clientCertificateRequest = request;
    }
    return { failure };
  };
  const silent = (waited: string) => `the peer sent nothing in answer to our TLS ClientHello within ${waited}`;
  const onTimeout = (): TlsHandshakeResult => {
    const failure = timeoutFailure('tls', budget, 'completed TLS handshake');
    if (wire.recorded.length === 0) failure.detail = silent(`the probe's ${budget.limitMs} ms`);
    return fail(failure);
  };
  return withinBudget<TlsHandshakeResult>(budget, onTimeout, (settle) => {
    const onSecure = () => {
      wire.stopRecording();
      settle({ socket, session: { ...describeSession(socket, options, startedAt), clientCertificateRequest: readCertificateRequest(capture()) } });
    };
    const onError = (error: Error) => settle(fail(failureFromError('tls', error), refusedLocally(error, firstRecordType, wire.recorded.length)));
    if (options.silenceLimitMs !== undefined) {
      const limitMs = options.silenceLimitMs;
      startSilenceClock = () => {
        silenceTimer = setTimeout(() => settle(fail({ stage: 'tls', reason: 'timeout', detail: silent(`${limitMs} ms`) })), limitMs);
      };
      if (helloSent) startSilenceClock();
    }
    socket.once('secureConnect', onSecure);
    socket.once('error', onError);
    return () => {
      clearTimeout(silenceTimer);
      socket.off('keylog', onKeylog);
      socket.off('secureConnect', onSecure);
      socket.off('error', onError);
      socket.on('error', ignoreError);
    };
  });
}

/**
 * Why our OpenSSL refused to start the handshake, when it did: an OpenSSL error with no ClientHello sent (nothing, or
 * OpenSSL's own alert, went out) and nothing received, so the peer cannot have caused it. OpenSSL 3.5 under Node 24
 * says "no protocols available" for TLS 1.0 and 1.1 at the default security level.
 */
function refusedLocally(error: Error, firstRecordType: number | undefined, receivedBytes: number): string | undefined {
  const { code } = error as NodeJS.ErrnoException;
  if (receivedBytes > 0 || firstRecordType === CLIENT_HELLO_RECORD || !code?.startsWith('ERR_SSL_')) return undefined;
  return (error as { reason?: string }).reason ?? error.message;
}

function describeSession(socket: tls.TLSSocket, options: TlsOptions, startedAt: number): TlsSession {
  // getPeerCertificate(true) is the chain Node built: the peer's certificates plus issuers from our trust store
  // (the root; an intermediate the peer omitted, if we trust it). getPeerX509Certificate() and its issuer links
  // are exactly what the peer sent, but on Node 20 and 24 it consumes the connection's peer chain (later calls
  // of either method see nothing), so it comes second and only once.
  const chainRead = options.trustBundledRoots !== false;
  const builtChain = chainRead ? walkDetailedChain(socket.getPeerCertificate(true)) : [];
  const peerChain = chainRead ? walkSentChain(socket.getPeerX509Certificate()) : [];
  const sent = new Set(peerChain);
  const cipher = socket.getCipher();
  const session: TlsSession = {
    servername: options.servername,
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher.standardName || cipher.name,
    peerChain,
    authorized: socket.authorized,
    clientCertificateOffered: options.clientCertificate !== undefined,
    elapsedMs: elapsedSince(startedAt),
  };
  // Kept apart, so a server that omits an intermediate we happen to trust is still seen as omitting it.
  const fromTrustStore = builtChain.filter((der) => !sent.has(der));
  if (fromTrustStore.length > 0) session.trustStoreIssuers = fromTrustStore;
  if (socket.authorizationError) session.authorizationError = String(socket.authorizationError);
  if (socket.alpnProtocol) session.alpnProtocol = socket.alpnProtocol;
  return session;
}

/** The certificates exactly as the peer sent them, leaf first (Node links them in the order received). */
function walkSentChain(leaf: X509Certificate | undefined): string[] {
  const chain: string[] = [];
  for (let certificate = leaf; certificate; certificate = certificate.issuerCertificate) {
    chain.push(certificate.raw.toString('base64'));
  }
  return chain;
}

/** Node's chain from the leaf up: the peer's certificates linked by issuer, then issuers from the trust store. */
function walkDetailedChain(leaf: tls.DetailedPeerCertificate): string[] {
  const chain: string[] = [];
  let certificate: tls.DetailedPeerCertificate | undefined = leaf;
  // A self-signed certificate is its own issuer here; the length cap guards any other loop.
  while (certificate?.raw && chain.length < 32) {
    const der = certificate.raw.toString('base64');
    if (chain.includes(der)) break;
    chain.push(der);
    certificate = certificate.issuerCertificate;
  }
  return chain;
}

export type VersionProbeOptions = Omit<TlsOptions, 'servername' | 'minVersion' | 'maxVersion'>;

/** Which versions the listener accepts: one connection per version, all at once, within one time budget. */
export async function probeTlsVersions(
  address: string,
  port: number,
  servername: string,
  preamble: TlsPreamble | undefined,
  options: VersionProbeOptions,
  context: NetContext,
): Promise<ProbeOutcome<TlsVersionSupport>> {
  try {
    createClientContext({ ...options, servername, trustBundledRoots: false });
  } catch (error) {
    return { status: 'error', reason: 'tls-setup', detail: describeError(error) };
  }
  const budget = startBudget(context);
  const versions = await Promise.all(
    TLS_VERSIONS.map((version) => tryVersion(version, { address, port, servername, preamble, options }, budget)),
  );
  return { status: 'ok', facts: { address, port, servername, versions } };
}

type VersionResult = TlsVersionSupport['versions'][number];

// Learnt from the version probes' own handshakes: once OpenSSL refused to offer a version, later endpoints are not
// connected to for it (this machine's OpenSSL does not change within a process).
const unofferable = new Map<TlsVersion, string>();

interface VersionAttempt {
  address: string;
  port: number;
  servername: string;
  preamble: TlsPreamble | undefined;
  options: VersionProbeOptions;
}

async function tryVersion(version: TlsVersion, attempt: VersionAttempt, budget: Budget): Promise<VersionResult> {
  const untestable = unofferable.get(version);
  if (untestable !== undefined) return { version, result: 'untestable', detail: untestable };
  const connected = await connectSocket(attempt.address, attempt.port, budget);
  if ('failure' in connected) return { version, result: 'error', detail: connected.failure.detail, reason: connected.failure.reason };
  if (attempt.preamble) {
    const failure = await attempt.preamble(connected.socket, remainingContext(budget));
    if (failure) {
      closeSocket(connected.socket);
      return { version, result: 'error', detail: `before TLS: ${failure.detail}`, reason: failure.reason };
    }
  }
  // The chain is not judged here: no roots to load (the session probe's context has them).
  const options = { ...attempt.options, servername: attempt.servername, minVersion: version, maxVersion: version, trustBundledRoots: false };
  const handshake = await tlsHandshakeWithin(connected.socket, options, budget);
  if ('failure' in handshake) {
    if (handshake.localRefusal === undefined) return { version, ...classifyRefusal(handshake.failure) };
    const detail = `this machine's OpenSSL ${process.versions.openssl} cannot offer ${version}: ${handshake.localRefusal}`;
    unofferable.set(version, detail);
    return { version, result: 'untestable', detail };
  }
  closeSocket(handshake.socket);
  return { version, result: 'accepted' };
}

function classifyRefusal(failure: SessionFailure): Pick<VersionResult, 'result' | 'detail' | 'reason'> {
  const notTls = failure.code === 'ERR_SSL_WRONG_VERSION_NUMBER';
  // An alert, our refusal of the version the peer chose, or a hang-up on the ClientHello (SChannel's way): not this version.
  const refused = !notTls && ['tls-alert', 'tls-error', 'closed', 'reset'].includes(failure.reason);
  return refused ? { result: 'rejected', detail: failure.detail } : { result: 'error', detail: failure.detail, reason: failure.reason };
}
