// Every command the README shows, run as a reader would run it: in a fresh folder, with the real CLI, against the
// embedded lab standing for the README's domains (the table below says which lab domain stands for which, and why).
// Each command must exit as the README implies and, where the README shows output, print its key lines. A block the
// lab cannot stand in for is marked in the README with <!-- needs a real domain -->.

import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import type { Scalar } from 'yaml';
import { ROOT } from '../support/fedcheck.js';
import type { CliResult } from '../support/fedcheck.js';
import { labArgs } from '../support/lab-args.js';
import { NEEDS_A_REAL_DOMAIN, consoleCommands, readmeBlocks, shellCommands, shellWords } from '../support/readme-blocks.js';
import type { ReadmeBlock } from '../support/readme-blocks.js';
import { runProcess } from '../support/run-process.js';
import { tempFolders } from '../support/temp-folders.js';
import { sharedLab, type SharedLab } from '../support/lab.js';

const BIN = fileURLToPath(new URL('../../bin/fedcheck.js', import.meta.url));

/**
 * What stands for what: each README name, the lab domain that plays it, and the exit code `fedcheck check <lab
 * domain>` gives. Longest names first, so a host is replaced before the domain it ends with.
 */
const LAB_STANDS_FOR = [
  { readme: 'sip.tailspintoys.com', lab: 'sip.healthy.test', why: "Tailspin Toys' Access Edge, configured by name: a healthy Edge" },
  { readme: 'northwindtraders.com', lab: 'm365.test', why: 'a partner hosted on Microsoft 365', exitCode: 0 },
  { readme: 'spam-example.com', lab: 'outside-domain.test', why: 'a blocked domain, never probed' },
  { readme: 'tailspintoys.com', lab: 'no-srv.test', why: 'a partner that publishes no SRV record: direct federation', exitCode: 2 },
  { readme: 'fabrikam.com', lab: 'expired-cert.test', why: 'a partner whose Edge certificate expired', exitCode: 2 },
  { readme: 'contoso.com', lab: 'healthy.test', why: 'our own domain, set up right, internal listeners included', exitCode: 0 },
] as const;

/** The README's absolute paths, each moved into the test's folder (the commands run with it as the current folder). */
const PATHS: readonly (readonly [string, string])[] = [
  ['/etc/fedcheck/fedcheck.yaml', 'fedcheck.yaml'],
  ['C:\\fedcheck\\fedcheck.yaml', 'fedcheck.yaml'],
  ['/var/www/fedcheck', 'var/www/fedcheck'],
  ['/var/lib/fedcheck', 'var/lib/fedcheck'],
];

/** Files the commands read that a reader has made: the test makes them. */
const READERS_FILES: Record<string, string> = {
  // Your config: the README's example, which `fedcheck init` and editing would give.
  'fedcheck.yaml': readFileSync(join(ROOT, 'examples', 'fedcheck.yaml'), 'utf8'),
  // A client log holding a federation failure, as `decode < trace.txt` reads it.
  'trace.txt': [
    'SIP/2.0 504 Server time-out',
    'From: <sip:alice@contoso.com>;tag=1',
    'ms-diagnostics: 1046;reason="Failed to connect to a federated peer server";WinsockFailureCode="10060(WSAETIMEDOUT)";PeerServer="sip.fabrikam.com";source="sip.contoso.com"',
    'Content-Length: 0',
    '',
  ].join('\n'),
};

/** Commands the README shows that this test does not run, and why. */
const PACKAGING_TEST = 'test/integration/package-install.test.ts packs the project, installs the tarball into an empty prefix and runs npx from it';
const NOT_RUN: Record<string, string> = {
  'npm ci': 'installs the dependencies this run already has (.ci/run runs it)',
  'npm test': 'runs the suite this test is part of',
  'npm run test:interop': 'runs the interop suites, which CI runs apart (.ci/run)',
  'npm install -g fedcheck': 'needs the npm registry, where fedcheck is not published yet',
  'npm pack': PACKAGING_TEST,
  'npm install -g ./fedcheck-0.1.0.tgz': PACKAGING_TEST,
  'npx ./fedcheck-0.1.0.tgz demo': PACKAGING_TEST,
  'npm install git+file:///path/to/fedcheck': 'installs a clone into another project, its dev dependencies from the registry',
};

/** Commands another test runs exactly as the README writes them (the whole demo is long on a loaded machine): that
 * test, and the call it makes. */
const COMMANDS_RUN_ELSEWHERE: Record<string, { test: string; call: string }> = {
  'npx fedcheck demo': { test: 'test/integration/demo.test.ts', call: "fedcheck(['demo'])" },
};

/** The subcommands that go to the network, and so are pointed at the lab. */
const PROBING = new Set(['check', 'policy', 'run']);

/** A block runs its commands one after the other (a replay reads the facts saved before it). */
const RUN_TIMEOUT_MS = 180000;

const tempFolder = tempFolders();
let lab: SharedLab;
let caFile: string;

beforeAll(async () => {
  lab = sharedLab();
  caFile = lab.caFile;
});
afterAll(async () => {
});

/** The README's names as the lab's, on word boundaries. */
function inLab(text: string): string {
  let mapped = text;
  for (const { readme, lab: labName } of LAB_STANDS_FOR) {
    mapped = mapped.replace(new RegExp(`(?<![\\w-])${readme.replaceAll('.', '\\.')}(?![\\w-])`, 'g'), labName);
  }
  return mapped;
}

/** A folder holding what a reader's clone holds for the README's commands: the examples and their own files. */
function readersFolder(): string {
  const dir = tempFolder('readme');
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  for (const file of readdirSync(join(dir, 'examples'), { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, 'examples', file);
    if (/\.ya?ml$/.test(file)) writeFileSync(path, inLab(readFileSync(path, 'utf8')));
  }
  for (const [name, text] of Object.entries(READERS_FILES)) writeFileSync(join(dir, name), inLab(text));
  return dir;
}

/** The command as it runs here: lab names, paths in the folder, `npx fedcheck` as this checkout's CLI, the lab's options. */
function asRun(command: string): { shell: string; words: string[] } {
  let mapped = inLab(command);
  for (const [from, to] of PATHS) mapped = mapped.replaceAll(from, to);
  expect(mapped, `${command}: a path outside the test's folder; add it to PATHS`).not.toMatch(/(^|\s)(\/etc|\/var|\/opt|[A-Z]:\\)/);
  const words = shellWords(mapped);
  const at = words.indexOf('fedcheck');
  const subcommand = words[at + 1] ?? '';
  const live = PROBING.has(subcommand) && !words.includes('--replay');
  const labOptions = live ? ` ${labArgs(lab, [caFile]).join(' ')}` : '';
  const shell = mapped.replace(/^(exec )?(npx fedcheck|fedcheck)(?= )/, `$1"${process.execPath}" "${BIN}"`) + labOptions;
  return { shell, words: words.slice(at + 1) };
}

function sh(command: string, cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // What a reader sees without a terminal: inherited colour and debug settings would change it.
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'FEDCHECK_DEBUG', 'FEDCHECK_TRACE']) delete childEnv[name];
  return runProcess('/bin/sh', ['-c', command], { cwd, env: childEnv, timeoutMs: 110000 });
}

/** The exit codes of earlier commands that saved facts, by file: a replay judges the same as the live run. */
type Saved = Map<string, number>;

function optionValue(words: readonly string[], option: string): string | undefined {
  const at = words.indexOf(option);
  return at === -1 ? undefined : words[at + 1];
}

/** The exit code of a check of these lab domains: the worst of what each gives alone (LAB_STANDS_FOR). */
function worstOf(domains: readonly string[], what: string): number {
  return Math.max(
    ...domains.map((domain) => {
      const entry = LAB_STANDS_FOR.find((row) => row.lab === domain);
      expect(entry && 'exitCode' in entry, `${what}: ${domain} stands for no README domain with a known exit code in LAB_STANDS_FOR`).toBe(true);
      return (entry as { exitCode: number }).exitCode;
    }),
  );
}

/** A nightly run exits by its worst domain: the config's own domains and its partners checked as `check` would (no configured edge). */
function runExitCode(words: readonly string[], cwd: string): number {
  const config = optionValue(words, '--config') ?? '';
  const parsed = parse(readFileSync(join(cwd, config), 'utf8')) as {
    own: { sipDomains: string[]; xmppDomains: string[] };
    partners: (string | { domain: string; edge?: string })[];
  };
  const plain = parsed.partners.flatMap((entry) => (typeof entry === 'string' ? [entry] : entry.edge === undefined ? [entry.domain] : []));
  return worstOf([...parsed.own.sipDomains, ...parsed.own.xmppDomains, ...plain], `fedcheck run --config ${config}`);
}

/** The exit code the README implies for a fedcheck command it shows without output. */
function impliedExitCode(words: readonly string[], cwd: string, saved: Saved): number {
  const [subcommand, ...rest] = words;
  if (subcommand === 'demo') return 0; // "fedcheck demo exits 0 when it ran, whatever it found"
  if (subcommand === 'decode') return 0; // "Exit codes: 0 decoded"
  if (subcommand === 'run') return runExitCode(words, cwd);
  if (subcommand === 'check') {
    const replay = optionValue(words, '--replay');
    if (replay !== undefined) {
      expect(saved.has(replay), `check --replay ${replay}: no command above saved it`).toBe(true);
      return saved.get(replay) as number;
    }
    const labDomains = new Set<string>(LAB_STANDS_FOR.map((row) => row.lab));
    const domains = rest.filter((word, index) => labDomains.has(word) && !(rest[index - 1] ?? '').startsWith('--'));
    expect(domains.length, `${words.join(' ')}: no domain of LAB_STANDS_FOR`).toBeGreaterThan(0);
    return worstOf(domains, `fedcheck ${words.join(' ')}`);
  }
  throw new Error(`fedcheck ${words.join(' ')}: no rule for the exit code the README implies; add one`);
}

/** What the command wrote where it says it writes it. */
function expectWritten(words: readonly string[], cwd: string, result: CliResult, saved: Saved): void {
  const out = optionValue(words, '--out');
  if (out !== undefined) {
    const text = readFileSync(join(cwd, out), 'utf8');
    if (out.endsWith('.json')) expect((JSON.parse(text) as { summary: { exitCode: number } }).summary.exitCode).toBe(result.code);
    if (out.endsWith('.html')) expect(text).toMatch(/<\/html>\s*$/);
  }
  const facts = optionValue(words, '--save-facts');
  if (facts !== undefined) {
    expect(JSON.parse(readFileSync(join(cwd, facts), 'utf8'))).toHaveProperty('schemaVersion');
    saved.set(facts, result.code as number);
  }
  const outDir = optionValue(words, '--out-dir');
  if (outDir !== undefined) {
    const report = JSON.parse(readFileSync(join(cwd, outDir, 'report.json'), 'utf8')) as { summary: { exitCode: number } };
    expect(report.summary.exitCode).toBe(result.code);
    for (const file of ['report.html', 'junit.xml', 'fedcheck.prom', 'summary.md']) expect(existsSync(join(cwd, outDir, file)), file).toBe(true);
  }
  const history = optionValue(words, '--history');
  if (history !== undefined) expect(readdirSync(join(cwd, history)).filter((name) => name.endsWith('.json'))).toHaveLength(1);
}

/** Runs a command the README shows without output, and holds it to what the README implies. */
async function runShown(command: string, cwd: string, saved: Saved, env: Record<string, string> = {}): Promise<void> {
  expect(command, 'a command that is not fedcheck: run it here, or say in NOT_RUN why not').toMatch(/^(exec )?(npx )?fedcheck /);
  const { shell, words } = asRun(command);
  const result = await sh(shell, cwd, env);
  const expected = impliedExitCode(words, cwd, saved);
  // Errors and warnings are the lines that start with "fedcheck:" (the demo's closing note on stderr is neither).
  const complaints = result.stderr.split('\n').filter((line) => line.startsWith('fedcheck:'));
  expect({ command, code: result.code, complaints }).toEqual({ command, code: expected, complaints: [] });
  expectWritten(words, cwd, result, saved);
}

/** The lines compared: leading and trailing blanks off, runs of blanks as one (wrapping and alignment aside). */
const squeezed = (line: string) => line.trim().replace(/\s+/g, ' ');

/**
 * A console block's command, holding it to what is shown: its first shown line is a line of the output, and a shown
 * "exit code N" is the exit code. A shown config error (`fedcheck: FILE:LINE:COL: PATH: ... "VALUE"`) is reproduced
 * by planting VALUE at PATH in the example config: the error must be that very line, on stderr, exit code 3.
 */
async function runConsole(command: string, shown: string[], cwd: string): Promise<void> {
  const lines = shown.filter((line) => line.trim() !== '' && line.trim() !== '...').map((line) => squeezed(inLab(line)));
  const first = lines[0];
  expect(first, `${command}: the README shows no output under it`).toBeDefined();
  const configError = /^fedcheck: ([^:]+):\d+:\d+: ([\w.[\]]+): .*?"([^"]+)"/.exec(first as string);
  if (configError) {
    const [, file, path, value] = configError as unknown as [string, string, string, string];
    plant(join(cwd, file), path, value);
    const result = await sh(asRun(command).shell, cwd);
    expect({ command, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ command, code: 3, stdout: '', stderr: `${first}\n` });
    return;
  }
  const result = await sh(asRun(command).shell, cwd);
  const output = result.stdout.split('\n').map(squeezed);
  expect(output, `${command}: the README's first line under it`).toContain(first);
  const exit = /exit code (\d)/.exec(lines.join('\n'))?.[1];
  expect({ command, code: result.code, stderr: result.stderr }).toEqual({ command, code: exit === undefined ? result.code : Number(exit), stderr: '' });
  expect(result.code, command).not.toBe(3);
}

/** Writes `value` in place of the value at the dotted path of the YAML file, leaving every other line as it was. */
function plant(file: string, dotted: string, value: string): void {
  const path = dotted.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const text = readFileSync(file, 'utf8');
  const node = parseDocument(text).getIn(path, true) as Scalar | undefined;
  expect(node?.range, `${file}: nothing at ${dotted} to put "${value}" in`).toBeDefined();
  const [start, end] = node?.range as [number, number, number];
  writeFileSync(file, text.slice(0, start) + value + text.slice(end));
}

const blocks = readmeBlocks();
const runnable = (block: ReadmeBlock) => ['sh', 'bash', 'console'].includes(block.lang) && block.marker !== NEEDS_A_REAL_DOMAIN;
/** A section whose commands another test runs in full, and that test. */
const RUN_ELSEWHERE: Record<string, string> = {
  'Getting an Edge certificate': 'test/integration/cert-walkthrough.test.ts',
  'Prometheus and the browser: `fedcheck serve`': 'test/integration/serve-readme.test.ts',
};

describe('the README, run against the lab', () => {
  it('has command blocks, and each one is run here, by the test named for its section, or marked as needing a real domain', () => {
    const commandBlocks = blocks.filter((block) => ['sh', 'bash', 'console', 'shell'].includes(block.lang));
    expect(commandBlocks.length).toBeGreaterThan(5);
    for (const block of commandBlocks) {
      expect(['sh', 'bash', 'console'], `a \`\`\`${block.lang} block in "${block.section}": write it as sh or console`).toContain(block.lang);
      if (block.marker !== undefined) expect(block.marker, `the marker before a block in "${block.section}"`).toBe(NEEDS_A_REAL_DOMAIN);
    }
    for (const [section, test] of Object.entries(RUN_ELSEWHERE)) {
      expect(readFileSync(join(ROOT, test), 'utf8'), `${test} runs the README's "${section}"`).toContain(`'## ${section}'`);
    }
    for (const [command, { test, call }] of Object.entries(COMMANDS_RUN_ELSEWHERE)) {
      expect(readFileSync(join(ROOT, test), 'utf8'), `${test} runs ${command}`).toContain(call);
    }
  });

  for (const block of blocks.filter((candidate) => runnable(candidate) && RUN_ELSEWHERE[candidate.section] === undefined)) {
    const first = block.text.split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
    it(`${block.section}: ${first.replace(/^\$ /, '').slice(0, 70)}`, async () => {
      const cwd = readersFolder();
      const saved: Saved = new Map();
      if (block.lang === 'console') {
        for (const { command, output } of consoleCommands(block.text)) await runConsole(command, output, cwd);
        return;
      }
      for (const line of shellCommands(block.text)) {
        for (const step of line.split(/\s+&&\s+/)) {
          if (NOT_RUN[step] !== undefined || COMMANDS_RUN_ELSEWHERE[step] !== undefined) continue;
          await runShown(step, cwd, saved);
        }
      }
    }, RUN_TIMEOUT_MS);
  }
});

describe('the scheduled runs the README and the examples set up, run against the lab', () => {
  /** The `fedcheck run ...` a scheduler line starts, up to its quote, redirection or end. */
  const invocation = (text: string) => /(\S*fedcheck(?:\.js)?) (run [^"'\n>]*)/.exec(text);
  const scheduling = blocks.filter((block) => block.section === 'Scheduling' && ['cron', 'ini', 'bat', 'powershell'].includes(block.lang));

  it('finds the cron, systemd and Windows examples', () => {
    expect(scheduling.map((block) => block.lang).filter((lang, index, all) => all.indexOf(lang) === index)).toEqual(['cron', 'ini', 'bat', 'powershell']);
  });

  for (const block of scheduling.filter((candidate) => invocation(candidate.text) !== null)) {
    it(`the ${block.lang} example's fedcheck run`, async () => {
      const match = invocation(block.text) as RegExpExecArray;
      const cwd = readersFolder();
      await runShown(`npx fedcheck ${(match[2] as string).trim()}`, cwd, new Map());
    }, RUN_TIMEOUT_MS);
  }

  it('the Kubernetes CronJob\'s command, its secret absent', async () => {
    const documents = readFileSync(join(ROOT, 'examples', 'kubernetes', 'fedcheck-cronjob.yaml'), 'utf8').split(/^---$/m).map((text) => parse(text) as Record<string, any>);
    const container = documents.find((document) => document.kind === 'CronJob')?.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.command).toEqual(['/bin/sh', '-c']);
    await runShown(container.args[0] as string, readersFolder(), new Map(), { FEDCHECK_WEBHOOK: '' });
  }, RUN_TIMEOUT_MS);

  it('the GitHub Actions workflow\'s run step, the webhook secret unset', async () => {
    const workflow = parse(readFileSync(join(ROOT, 'examples', 'github-actions', 'fedcheck-nightly.yml'), 'utf8')) as Record<string, any>;
    const step = (workflow.jobs.fedcheck.steps as { run?: string; env?: Record<string, string> }[]).find((candidate) => candidate.run?.includes('fedcheck run'));
    // An unset secret is the empty string in the step's environment.
    const env = Object.fromEntries(Object.entries(step?.env ?? {}).map(([name, value]) => [name, value.replace(/\$\{\{\s*secrets\.\w+\s*\}\}/g, '')]));
    await runShown(step?.run as string, readersFolder(), new Map(), env);
  }, RUN_TIMEOUT_MS);
});
