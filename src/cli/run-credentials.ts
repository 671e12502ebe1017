// The client certificate of `fedcheck run`: --client-cert on the command line, else check.clientCertificate of the
// config, whose problems are one line naming the config file and the key.

import { UsageError } from '../model/errors.js';
import type { FedcheckConfig } from '../model/config.js';
import { readInputText } from '../util/input-file.js';
import { loadClientCertificate } from './credentials.js';
import type { LoadedClientCertificate } from './credentials.js';
import { CLIENT_PASSPHRASE_ENV } from './passphrases.js';

const KEY = 'check.clientCertificate';

export async function runClientCertificate(
  flags: { clientCert?: string; clientKey?: string },
  config: FedcheckConfig,
): Promise<LoadedClientCertificate | undefined> {
  if (flags.clientCert !== undefined) return loadClientCertificate(flags.clientCert, flags.clientKey);
  if (flags.clientKey !== undefined) throw new UsageError('--client-key needs --client-cert: the certificate it is the key of');
  const entry = config.check.clientCertificate;
  if (entry === undefined) return undefined;
  try {
    const passphrase = entry.passphraseFile === undefined ? undefined : passphraseIn(entry.passphraseFile);
    return await loadClientCertificate(entry.certFile, entry.keyFile, {
      cert: `${KEY}.certFile`,
      key: `${KEY}.keyFile`,
      passphraseEnv: entry.passphraseEnv ?? CLIENT_PASSPHRASE_ENV,
      ...(passphrase !== undefined ? { passphrase } : {}),
    });
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${config.source}: ${error.message}`);
    throw error;
  }
}

/** The file's first line, as `systemd-creds` and Docker secrets write one (a trailing newline is not part of it). */
function passphraseIn(path: string): string {
  const [firstLine = ''] = readInputText(path, `${KEY}.passphraseFile`, 'certificate').split(/\r?\n/);
  if (firstLine === '') throw new UsageError(`${KEY}.passphraseFile "${path}" holds no passphrase on its first line`);
  return firstLine;
}
