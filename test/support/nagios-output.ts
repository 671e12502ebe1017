// The plugin output grammar of the Monitoring Plugins development guidelines
// (https://www.monitoring-plugins.org/doc/guidelines.html, "Plugin Output" and "Performance data"), as a parser that
// fails the test on any departure: the status line first, `SERVICE STATUS: text | perfdata`, then the long text.

import { expect } from 'vitest';

export const STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type State = (typeof STATES)[number];

export interface PerfValue {
  value: string;
  uom: string;
  warn: string;
  crit: string;
  min: string;
  max: string;
}

export interface NagiosOutput {
  state: State;
  text: string;
  perfdata: Record<string, PerfValue>;
  longText: string[];
}

const STATUS_LINE = /^FEDCHECK (OK|WARNING|CRITICAL|UNKNOWN): ([^|]+?)(?: \| ([^|]+))?$/;
const NUMBER = '-?\\d+(?:\\.\\d+)?';
// A label in single quotes when it holds a space (a quote inside doubled), never an equals sign.
const LABEL = "'(?:[^'=]|'')+'|[^'= ]+";
// Threshold ranges: [@][start:][end], start ~ for minus infinity.
const RANGE = `@?(?:(?:~|${NUMBER})?:)?(?:${NUMBER})?`;
const PERF_ITEM = new RegExp(`^(${LABEL})=(${NUMBER}|U)(s|ms|us|%|B|KB|MB|TB|c)?(?:;(${RANGE}))?(?:;(${RANGE}))?(?:;(${NUMBER})?)?(?:;(${NUMBER})?)?$`);

/** Parses the whole output of one plugin run; every line is held to the guidelines. */
export function parseNagios(output: string): NagiosOutput {
  expect(output.endsWith('\n'), 'the output ends its last line').toBe(true);
  const [statusLine = '', ...longText] = output.slice(0, -1).split('\n');
  const match = STATUS_LINE.exec(statusLine);
  expect(match, `status line: ${statusLine}`).not.toBeNull();
  const [, state = '', text = '', perfText] = match ?? [];
  const perfdata: Record<string, PerfValue> = {};
  for (const item of perfText === undefined ? [] : perfText.split(' ')) {
    const parts = PERF_ITEM.exec(item);
    expect(parts, `perfdata item "${item}"`).not.toBeNull();
    const [, label = '', value = '', uom = '', warn = '', crit = '', min = '', max = ''] = parts ?? [];
    expect(perfdata[label], `perfdata label ${label} given once`).toBeUndefined();
    perfdata[label] = { value, uom, warn, crit, min, max };
  }
  // Long text may carry more perfdata after a pipe; fedcheck's has none, so no pipe at all.
  for (const line of longText) {
    expect(line, 'a long text line').not.toMatch(/\||^\s*$/);
  }
  return { state: state as State, text, perfdata, longText };
}

/** The plugin exit code of a state: its index, as the guidelines number them. */
export function exitCodeOf(state: State): number {
  return STATES.indexOf(state);
}
