// Passphrases for the key and PFX files of `csr` and `cert`: from an environment variable or the terminal,
// never from the command line, where other users of the machine and the shell history would see them.

import { UsageError } from '../model/errors.js';
import { readSecret } from './secret.js';

/** The environment variable a passphrase for the --client-cert of `fedcheck check` may come from (never from argv). */
export const CLIENT_PASSPHRASE_ENV = 'FEDCHECK_CLIENT_PASSPHRASE';
/** Protects a new key written by `fedcheck csr`, and opens it again for `fedcheck cert bundle`. */
export const KEY_PASSPHRASE_ENV = 'FEDCHECK_KEY_PASSPHRASE';
/** Protects the PFX written by `fedcheck cert bundle`, and opens one for `fedcheck cert inspect`. */
export const PFX_PASSPHRASE_ENV = 'FEDCHECK_PFX_PASSPHRASE';

/** The variable's value; undefined when it is not set; a UsageError when it is set but empty. */
export function passphraseFromEnv(env: string): string | undefined {
  const value = process.env[env];
  if (value === '') throw new UsageError(`${env} is set but empty: unset it, or set it to the passphrase`);
  return value;
}

/** The passphrase that opens `what`: the variable, else asked once on the terminal. */
export async function existingPassphrase(env: string, what: string): Promise<string> {
  const fromEnv = passphraseFromEnv(env);
  if (fromEnv !== undefined) return fromEnv;
  requireTerminal(env, what);
  return readSecret(`Passphrase for ${what}: `);
}

/** A passphrase to protect `what`: the variable, else asked twice on the terminal; `problem` vets it. */
export async function newPassphrase(env: string, what: string, problem: (passphrase: string) => string | undefined): Promise<string> {
  const fromEnv = passphraseFromEnv(env);
  if (fromEnv !== undefined) return vetted(fromEnv, env, problem);
  requireTerminal(env, what);
  const first = vetted(await readSecret(`New passphrase for ${what}: `), 'the passphrase', problem);
  if ((await readSecret(`The same passphrase again: `)) !== first) throw new UsageError('the two passphrases differ: nothing was written');
  return first;
}

function vetted(passphrase: string, source: string, problem: (passphrase: string) => string | undefined): string {
  const why = problem(passphrase);
  if (why !== undefined) throw new UsageError(`${source} cannot be used: ${why}`);
  return passphrase;
}

function requireTerminal(env: string, what: string): void {
  if (!process.stdin.isTTY) {
    throw new UsageError(`${what} needs a passphrase: set ${env} (it is never read from the command line), or run fedcheck in a terminal to be asked`);
  }
}
