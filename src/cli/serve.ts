// `fedcheck serve`: reads the settings, starts the server, and lives until SIGTERM or Ctrl+C (the probes in flight
// finish, then exit 0); SIGHUP reads the config again and keeps the running one when the new one has an error.

import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { loadCaFiles } from '../config/ca-files.js';
import { loadConfig } from '../config/load.js';
import { UsageError, describeError } from '../model/errors.js';
import { EXIT } from '../model/finding.js';
import { authoritativePortFor, parseResolverSpec, systemResolvers } from '../probes/resolvers.js';
import { serveModules } from '../serve/modules.js';
import { startServeServer } from '../serve/server.js';
import type { ServeSettings } from '../serve/settings.js';
import { targetRules } from '../serve/targets.js';
import { DEFAULTS } from '../util/defaults.js';
import { readInputText } from '../util/input-file.js';
import { escapeControl } from '../util/control-characters.js';
import { parseAllowPrivate, parsePositiveInteger } from './options.js';
import { runClientCertificate } from './run-credentials.js';
import type { ServeFlags } from './serve-command.js';

/** How long the probes in flight may take to finish once told to stop, before they are cut short. */
const STOP_GRACE_MS = 10_000;

export async function runServe(flags: ServeFlags): Promise<number> {
  const settings = await serveSettings(flags);
  const listen = parseListen(flags.listen ?? settings.config?.serve.listen ?? DEFAULTS.serve.listen, flags.listen !== undefined ? '--listen' : 'serve.listen');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const server = await startServeServer(settings, { ...listen, log }).catch((error: unknown) => {
    throw new UsageError(`cannot listen on ${formatListen(listen)}: ${describeError(error)}`);
  });
  const { address, port } = server.address();
  log(targetsLine(settings));
  if (!isLoopback(address) && settings.token === undefined) {
    log('fedcheck serve: listening beyond loopback without serve.tokenFile: whoever reaches this address can start probes');
  }
  // Last, so a supervisor (or a test) that waits for this line has every start line.
  log(`fedcheck serve: listening on http://${formatListen({ host: address, port })} (vantage ${settings.vantage}): /probe for Prometheus, / for the page`);
  await new Promise<void>((resolve) => {
    const reload = () => {
      serveSettings(flags).then(
        (next) => {
          server.update(next);
          log(`fedcheck serve: config ${flags.config ?? ''} reloaded. ${targetsLine(next).replace(/^fedcheck serve: /, '')}`);
        },
        (error: unknown) => {
          server.reloadFailed();
          log(`fedcheck serve: config reload failed, the running config is kept: ${escapeControl(describeError(error))}`);
        },
      );
    };
    const stop = (signal: string) => {
      process.off('SIGHUP', reload);
      log(`fedcheck serve: ${signal}: finishing the probes in flight (at most ${STOP_GRACE_MS / 1000} s), then stopping`);
      void server.stop(STOP_GRACE_MS).then(resolve);
    };
    process.on('SIGHUP', reload);
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  log('fedcheck serve: stopped');
  return EXIT.ok;
}

/** The config's settings (or the defaults, without one), every file it names read now: a reload reads them again. */
async function serveSettings(flags: ServeFlags): Promise<ServeSettings> {
  const config = flags.config === undefined ? undefined : loadConfig(flags.config);
  const check = config?.check;
  const modules = serveModules(config);
  const wantsCertificate = [...modules].find(([, module]) => module.clientCertificate);
  if (wantsCertificate !== undefined && check?.clientCertificate === undefined) {
    throw new UsageError(`${config?.source ?? 'fedcheck serve'}: serve.modules.${wantsCertificate[0]}.clientCertificate: true needs check.clientCertificate in the config: the certificate to present`);
  }
  const clientCertificate = config === undefined || wantsCertificate === undefined ? undefined : await runClientCertificate({}, config);
  // A value on the command line replaces the config's, lists included, as for `fedcheck run`.
  const configured = (flags.resolver ?? check?.resolvers ?? []).map(parseResolverSpec);
  const resolvers = configured.length > 0 ? configured : systemResolvers();
  const token = config?.serve.tokenFile === undefined ? undefined : tokenIn(config.serve.tokenFile);
  return {
    ...(config !== undefined ? { config } : {}),
    vantage: config?.serve.vantage ?? hostname(),
    rules: targetRules(config, flags.allowAnyTarget === true),
    modules,
    limits: config?.serve.limits ?? {
      probesInFlight: DEFAULTS.serve.probesInFlight,
      probesInFlightPerClient: DEFAULTS.serve.probesInFlightPerClient,
      probesPerMinute: DEFAULTS.serve.probesPerMinute,
      probesPerMinutePerClient: DEFAULTS.serve.probesPerMinutePerClient,
      connections: DEFAULTS.serve.connections,
      headerTimeoutMs: DEFAULTS.serve.headerTimeoutMs,
    },
    ...(token !== undefined ? { token } : {}),
    live: {
      resolvers,
      authoritativePort: authoritativePortFor(resolvers),
      vantage: check?.vantage ?? DEFAULTS.vantage,
      allowPrivate: flags.allowPrivate === undefined ? (check?.allowPrivate ?? []) : parseAllowPrivate(flags.allowPrivate),
      caPem: loadCaFiles(flags.caFile ?? check?.caFiles ?? []),
      timeoutMs: flags.timeout === undefined ? (check?.timeoutMs ?? DEFAULTS.timeoutMs) : parsePositiveInteger(flags.timeout, '--timeout', DEFAULTS.timeoutMs, 'milliseconds, such as 5000'),
      deadlineMs: check?.deadlineMs ?? DEFAULTS.deadlineMs,
      concurrency: check?.concurrency ?? DEFAULTS.concurrency,
      revocation: check?.revocation ?? false,
      ...(config !== undefined
        ? { expiryWarningDays: config.thresholds.certificateWarningDays, expiryCriticalDays: config.thresholds.certificateCriticalDays }
        : {}),
      ...(config?.fromDomain !== undefined ? { fromDomain: config.fromDomain } : {}),
      ...(clientCertificate !== undefined ? { clientCertificate } : {}),
    },
  };
}

function tokenIn(path: string): string {
  const [firstLine = ''] = readInputText(path, 'serve.tokenFile', 'certificate').split(/\r?\n/);
  if (firstLine.trim().length < 16) throw new UsageError(`serve.tokenFile "${path}": expected a token of at least 16 characters on its first line`);
  return firstLine.trim();
}

function targetsLine(settings: ServeSettings): string {
  if (settings.rules.allowAny) return 'fedcheck serve: --allow-any-target: any domain asked for is probed, by whoever can reach this server';
  const { known, patterns } = settings.rules;
  if (known.size + patterns.length === 0) return 'fedcheck serve: no target allowed: give --config with domains or serve.targets, or --allow-any-target';
  return `fedcheck serve: probing only the config's ${known.size} domain${known.size === 1 ? '' : 's'} and ${patterns.length} serve.targets entr${patterns.length === 1 ? 'y' : 'ies'}`;
}

/** HOST:PORT, [IPv6]:PORT: an address (or localhost), and a port from 0 (any free one) to 65535. */
export function parseListen(value: string, what: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(value.trim()) ?? /^([^:[\]]+):(\d{1,5})$/.exec(value.trim());
  const host = match?.[1] ?? '';
  const port = Number(match?.[2]);
  if (match === null || (isIP(host) === 0 && host !== 'localhost') || port > 65535) {
    throw new UsageError(`invalid ${what} "${escapeControl(value)}": expected an address and a port, such as 127.0.0.1:9469, [::1]:9469 or 0.0.0.0:9469`);
  }
  return { host, port };
}

function formatListen({ host, port }: { host: string; port: number }): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function isLoopback(address: string): boolean {
  return address === '::1' || address === 'localhost' || /^127\./.test(address) || /^::ffff:127\./.test(address);
}
