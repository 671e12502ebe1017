// Turns one schema issue into the words of an admin: the field's path, what was expected, what was there instead.

import type { z } from 'zod';
import { escapeControl } from '../util/control-characters.js';
import { nearest } from '../util/nearest.js';

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

export { formatPath } from '../model/issue-path.js';

export function issueMessage(issue: Issue, schema: z.ZodType): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeysMessage(issue.keys, keysAt(schema, issue.path));
    case 'invalid_type':
      if (issue.input === undefined) return `missing: expected ${typeName(issue.expected)}`;
      // Leaf schemas carry their own "expected ..." wording; the generic one is zod's.
      return `${expectation(issue.message, `expected ${typeName(issue.expected)}`)}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected ${orList(issue.values.map((value) => String(value)))}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return `${expectation(issue.message, `expected at least ${String(issue.minimum)}`)}, got ${describeValue(issue.input)}`;
    case 'too_big':
      return `${expectation(issue.message, `expected at most ${String(issue.maximum)}`)}, got ${describeValue(issue.input)}`;
    default: {
      // Cross-field rules receive the whole mapping, and our own messages already quote the value.
      const { input } = issue;
      const quoted = input === undefined || typeof input === 'object' || issue.message.includes(String(input));
      if (!quoted) return `${issue.message}, got ${describeValue(input)}`;
      // Quoted whole by the rule: cut to the excerpt any other value gets.
      return typeof input === 'string' ? issue.message.replace(`"${input}"`, () => quotedExcerpt(input)) : issue.message;
    }
  }
}

/** zod's default wording starts with "Invalid input" or "Too small"; ours starts with "expected". */
function expectation(message: string, fallback: string): string {
  return message.startsWith('expected') || message.startsWith('invalid') ? message : fallback;
}

function unknownKeysMessage(keys: string[], known: string[]): string {
  const [first] = keys;
  // A file of random keys names a few of them, each as an excerpt.
  const shown = keys.slice(0, 3).map(quotedExcerpt).join(', ');
  const names = keys.length > 3 ? `${shown} and ${keys.length - 3} more` : shown;
  const suggestion = first === undefined ? undefined : closest(first, known);
  const hint = suggestion === undefined ? `expected one of ${known.join(', ')}` : `did you mean "${suggestion}"?`;
  return `unknown key${keys.length > 1 ? 's' : ''} ${names}: ${hint}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return quotedExcerpt(value);
  return String(value);
}

/** The most of a value a message quotes: enough to recognise it, never a whole file pasted back. */
const EXCERPT_CHARACTERS = 40;

/** `"value"`, control characters shown as `\x1b`, cut at EXCERPT_CHARACTERS with its length said. */
function quotedExcerpt(value: string): string {
  const characters = [...value];
  if (characters.length <= EXCERPT_CHARACTERS) return `"${escapeControl(value)}"`;
  return `"${escapeControl(characters.slice(0, EXCERPT_CHARACTERS).join(''))}…" (${characters.length} characters)`;
}

function orList(values: string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  out?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { def: SchemaDef }).def;
}

/** Looks through defaults, optionals and preprocessing to the schema that holds the data's shape. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const inner = def.type === 'pipe' ? def.out : def.innerType;
    if (inner === undefined) return current;
    current = inner;
  }
}

/** The keys an object at `path` may have, for "did you mean". */
function keysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let current = unwrap(schema);
  for (const segment of path) {
    const def = defOf(current);
    const next = def.type === 'object' ? def.shape?.[String(segment)] : def.type === 'array' ? def.element : undefined;
    if (next === undefined) return [];
    current = unwrap(next);
  }
  return Object.keys(defOf(current).shape ?? {});
}

/** The known key nearest to a misspelt one, when it is near enough to be what was meant. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const best = nearest(word, candidates);
  return best !== undefined && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}
