// One of a fixed set of words, as an option or a config value gives it: case-insensitive, one line when wrong.

import { UsageError } from '../model/errors.js';

export function parseChoice<T extends string>(value: string | undefined, flag: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const choice = choices.find((c) => c === value.trim().toLowerCase());
  if (choice === undefined) throw new UsageError(`invalid ${flag} "${value}": expected ${orList(choices)}`);
  return choice;
}

function orList(choices: readonly string[]): string {
  return choices.length <= 1 ? choices.join('') : `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}
