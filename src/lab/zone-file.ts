// Reads the BIND zone-file subset the lab's zones are written in, so the same files feed the lab and a real server.
// Supported: $ORIGIN, $TTL, @, relative and absolute names, a blank owner (the previous one), optional TTL and
// class IN in either order, `;` comments, parentheses across lines, and the types SOA NS A AAAA CNAME SRV TXT.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { DnsRecord } from '../model/facts.js';
import { UsageError } from '../model/errors.js';

export interface Zone {
  /** The zone's apex: absolute, lower case, without the trailing dot. */
  origin: string;
  records: DnsRecord[];
}

/** A zone file the parser cannot read; the message names the file and line. */
export class ZoneFileError extends UsageError {}

interface Token {
  text: string;
}

interface Entry {
  line: number;
  blankOwner: boolean;
  tokens: Token[];
}

const MAX_TTL = 0x7fffffff;
const ZONE_SUFFIX = '.zone';

export function parseZoneFile(text: string, origin: string, fileName: string): Zone {
  const parser = new ZoneParser(absoluteName(origin), fileName);
  for (const entry of tokenize(text, fileName)) parser.add(entry);
  return { origin: parser.zoneOrigin, records: parser.records };
}

/** Every `<origin>.zone` file of a folder, in name order; a `$ORIGIN` at the top of a file overrides its name. */
export function loadZoneDirectory(dir: string): Zone[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(ZONE_SUFFIX))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    throw new UsageError(`cannot read the zone folder ${dir}: ${(error as Error).message}`);
  }
  return names.map((name) => {
    const file = path.join(dir, name);
    return parseZoneFile(fs.readFileSync(file, 'utf8'), name.slice(0, -ZONE_SUFFIX.length), file);
  });
}

class ZoneParser {
  readonly records: DnsRecord[] = [];
  zoneOrigin: string;
  private origin: string;
  private defaultTtl: number | undefined;
  private previousOwner: string | undefined;

  constructor(
    origin: string,
    private readonly fileName: string,
  ) {
    this.zoneOrigin = origin;
    this.origin = origin;
  }

  add(entry: Entry): void {
    const fail = (message: string): never => {
      throw new ZoneFileError(`${this.fileName}:${entry.line}: ${message}`);
    };
    const words = entry.tokens.map((t) => t.text);
    const first = words[0] ?? '';
    if (!entry.blankOwner && first.startsWith('$')) return this.directive(first.toUpperCase(), words.slice(1), fail);

    const tokens = [...entry.tokens];
    const owner = entry.blankOwner ? this.previousOwner : this.name(tokens.shift()?.text ?? '', fail);
    if (owner === undefined) return fail('a record without an owner name comes before any named record');
    if (owner !== this.zoneOrigin && !owner.endsWith(`.${this.zoneOrigin}`)) fail(`${owner} is outside the zone ${this.zoneOrigin}`);

    let ttl: number | undefined;
    let type: string | undefined;
    // TTL and class may come in either order before the type.
    while (type === undefined) {
      const word = tokens.shift()?.text;
      if (word === undefined) return fail('missing record type');
      if (ttl === undefined && /^\d/.test(word)) ttl = parseTtl(word, fail);
      else if (word.toUpperCase() === 'IN') continue;
      else if (['CH', 'HS', 'CS'].includes(word.toUpperCase())) fail(`class ${word} is not supported, only IN`);
      else type = word.toUpperCase();
    }
    ttl ??= this.defaultTtl ?? fail('no TTL: give the record a TTL or add a $TTL line before it');
    this.previousOwner = owner;
    this.records.push(this.record({ name: owner, ttl }, type, tokens, fail));
  }

  private directive(name: string, args: string[], fail: (message: string) => never): void {
    const [value] = args;
    if (value === undefined || args.length > 1) fail(`${name} takes one value`);
    if (name === '$TTL') this.defaultTtl = parseTtl(value ?? '', fail);
    else if (name === '$ORIGIN') {
      this.origin = this.name(value ?? '', fail);
      // Before any record, $ORIGIN says which zone the file holds.
      if (this.records.length === 0) this.zoneOrigin = this.origin;
    } else fail(`unsupported directive ${name}`);
  }

  private record(base: { name: string; ttl: number }, type: string, tokens: Token[], fail: (message: string) => never): DnsRecord {
    const words = tokens.map((t) => t.text);
    const expect = (count: number) => {
      if (words.length !== count) fail(`${type} takes ${count} value${count === 1 ? '' : 's'}, found ${words.length}`);
    };
    const name = (word: string | undefined) => this.name(word ?? '', fail);
    switch (type) {
      case 'A':
        expect(1);
        if (!net.isIPv4(words[0] ?? '')) fail(`"${words[0]}" is not an IPv4 address`);
        return { ...base, type: 'A', address: words[0] ?? '' };
      case 'AAAA':
        expect(1);
        if (!net.isIPv6(words[0] ?? '') || words[0]?.includes('%')) fail(`"${words[0]}" is not an IPv6 address`);
        return { ...base, type: 'AAAA', address: canonicalIpv6(words[0] ?? '') };
      case 'CNAME':
      case 'NS':
        expect(1);
        return { ...base, type, target: name(words[0]) };
      case 'SRV': {
        expect(4);
        const [priority, weight, port] = words.slice(0, 3).map((w) => parseUint(w, 0xffff, `SRV field "${w}"`, fail));
        return { ...base, type: 'SRV', priority: priority ?? 0, weight: weight ?? 0, port: port ?? 0, target: name(words[3]) };
      }
      case 'TXT':
        if (words.length === 0) fail('TXT needs at least one string');
        for (const word of words) if (Buffer.byteLength(word) > 255) fail('a TXT string is longer than 255 bytes: split it into several quoted strings');
        return { ...base, type: 'TXT', text: words.join('') };
      case 'SOA': {
        expect(7);
        const [serial, refresh, retry, expiration, minimum] = words.slice(2).map((w, i) => (i === 0 ? parseUint(w, 0xffffffff, `SOA serial "${w}"`, fail) : parseTtl(w, fail)));
        return { ...base, type: 'SOA', primary: name(words[0]), admin: name(words[1]), serial: serial ?? 0, refresh: refresh ?? 0, retry: retry ?? 0, expiration: expiration ?? 0, minimum: minimum ?? 0 };
      }
      default:
        return fail(`unsupported record type ${type} (supported: SOA NS A AAAA CNAME SRV TXT)`);
    }
  }

  private name(word: string, fail: (message: string) => never): string {
    if (word === '') fail('missing name');
    if (word.includes('\\')) fail(`escapes in names are not supported: ${word}`);
    if (word === '@') return this.origin;
    if (word.endsWith('.')) return absoluteName(word);
    return absoluteName(`${word}.${this.origin}`);
  }
}

/** Lower case without the trailing dot; the root stays ".". */
function absoluteName(name: string): string {
  const trimmed = name.toLowerCase().replace(/\.$/, '');
  return trimmed === '' ? '.' : trimmed;
}

function parseTtl(word: string, fail: (message: string) => never): number {
  // BIND's unit form (1h30m) as well as plain seconds.
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let seconds: number;
  if (/^\d+$/.test(word)) seconds = Number(word);
  else if (/^(\d+[smhdw])+$/i.test(word)) {
    seconds = [...word.matchAll(/(\d+)([smhdw])/gi)].reduce((sum, [, digits, unit]) => sum + Number(digits) * (units[(unit ?? 's').toLowerCase()] ?? 1), 0);
  } else return fail(`"${word}" is not a TTL (seconds, or units such as 1h30m)`);
  if (seconds > MAX_TTL) fail(`TTL ${word} is larger than ${MAX_TTL} seconds`);
  return seconds;
}

function parseUint(word: string, max: number, what: string, fail: (message: string) => never): number {
  if (!/^\d+$/.test(word) || Number(word) > max) fail(`${what} is not a number from 0 to ${max}`);
  return Number(word);
}

/** RFC 5952 text: lower-case hex, the longest run of two or more zero groups as "::". */
function canonicalIpv6(text: string): string {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [left = '', right] = text.split('::');
  const head = parse(left);
  const tail = right === undefined ? [] : parse(right);
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  let bestStart = -1;
  let bestLength = 0;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** Splits the text into entries (one per record or directive, parentheses joining lines) of tokens. */
function tokenize(text: string, fileName: string): Entry[] {
  const entries: Entry[] = [];
  let entry: Entry | undefined;
  let depth = 0;
  let openedOn = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, index) => {
    const line = index + 1;
    const fail = (message: string): never => {
      throw new ZoneFileError(`${fileName}:${line}: ${message}`);
    };
    if (depth === 0) entry = { line, blankOwner: /^[ \t]/.test(lineText), tokens: [] };
    const current = entry as Entry;
    let word: Token | undefined;
    const endWord = () => {
      if (word) current.tokens.push(word);
      word = undefined;
    };
    for (let i = 0; i < lineText.length; i += 1) {
      const char = lineText[i] ?? '';
      if (char === '"') {
        endWord();
        const quoted = readQuoted(lineText, i + 1, fail);
        current.tokens.push({ text: quoted.text });
        i = quoted.end;
      } else if (char === ';') {
        break;
      } else if (char === '(' || char === ')') {
        endWord();
        if (char === '(' && depth === 0) openedOn = line;
        depth += char === '(' ? 1 : -1;
        if (depth < 0) fail('")" without a matching "("');
      } else if (char === ' ' || char === '\t') {
        endWord();
      } else {
        word = { text: (word?.text ?? '') + char };
      }
    }
    endWord();
    if (depth === 0 && current.tokens.length > 0) entries.push(current);
  });
  if (depth > 0) throw new ZoneFileError(`${fileName}:${openedOn}: "(" is never closed`);
  return entries;
}

/** Reads a quoted string from just after its opening quote; handles \" \\ and \DDD. */
function readQuoted(line: string, from: number, fail: (message: string) => never): { text: string; end: number } {
  const bytes: number[] = [];
  for (let i = from; i < line.length; i += 1) {
    const char = line[i] ?? '';
    if (char === '"') return { text: Buffer.from(bytes).toString('utf8'), end: i };
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const digits = /^\d{3}/.exec(line.slice(i + 1));
    if (digits) {
      const value = Number(digits[0]);
      if (value > 255) fail(`escape \\${digits[0]} is not a byte`);
      bytes.push(value);
      i += 3;
    } else {
      if (i + 1 >= line.length) break;
      bytes.push(...Buffer.from(line[i + 1] ?? '', 'utf8'));
      i += 1;
    }
  }
  return fail('a quoted string is not closed on its line');
}
