// The shipped examples hold together as their platforms read them: the GitHub Actions workflow restores the history
// before the run and saves it after, whatever the run found; the Kubernetes CronJob mounts what its command reads and
// writes; and the `fedcheck run` each one starts is one fedcheck's own parser and settings accept, with the example
// config. (test/integration/readme-commands.test.ts runs those commands against the lab.)

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createProgram } from '../../src/cli/main.js';
import { nightlySettings } from '../../src/run/settings.js';
import type { NightlySettings, RunFlags } from '../../src/run/settings.js';
import { ROOT } from '../support/fedcheck.js';
import { readmeBlocks, shellWords } from '../support/readme-blocks.js';

const EXAMPLE_CONFIG = join(ROOT, 'examples', 'fedcheck.yaml');
const CRON_FIELDS = /^(\S+ ){4}\S+$/;

/**
 * A `fedcheck run` command line as fedcheck reads it: commander's own parsing of the run command (no unknown option,
 * no stray operand), then the settings built from those options, the config being the example one.
 */
function validRun(command: string, env: Record<string, string>): { words: string[]; settings: NightlySettings } {
  const expanded = command.replace(/\$\{?(\w+)\}?/g, (_, name: string) => env[name] ?? `$${name}`);
  const words = shellWords(expanded);
  const at = words.indexOf('run');
  expect(words.slice(0, at), command).toEqual(expect.arrayContaining([expect.stringMatching(/fedcheck$/)]));
  const run = createProgram(() => {}).commands.find((candidate) => candidate.name() === 'run');
  const { operands, unknown } = run?.parseOptions(words.slice(at + 1)) ?? { operands: ['no run command'], unknown: [] };
  expect({ operands, unknown }, command).toEqual({ operands: [], unknown: [] });
  const flags = { ...(run?.opts() as RunFlags), config: EXAMPLE_CONFIG };
  return { words, settings: nightlySettings(flags) };
}

const value = (words: readonly string[], option: string) => words[words.indexOf(option) + 1];

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}

describe('examples/github-actions/fedcheck-nightly.yml', () => {
  const text = readFileSync(join(ROOT, 'examples', 'github-actions', 'fedcheck-nightly.yml'), 'utf8');
  const workflow = parse(text) as { on: { schedule: { cron: string }[] }; jobs: Record<string, { 'runs-on': string; steps: Step[] }> };
  const steps = Object.values(workflow.jobs)[0]?.steps ?? [];
  const index = (test: (step: Step) => boolean) => steps.findIndex(test);
  const restore = index((step) => step.uses?.startsWith('actions/cache/restore@') === true);
  const runStep = index((step) => step.run?.includes('fedcheck run') === true);
  const save = index((step) => step.uses?.startsWith('actions/cache/save@') === true);
  const upload = index((step) => step.uses?.startsWith('actions/upload-artifact@') === true);

  it('is the workflow the README shows', () => {
    const shown = readmeBlocks().find((block) => block.lang === 'yaml' && block.text.startsWith('# .github/workflows/fedcheck-nightly.yml'));
    expect(shown?.text, "the README's GitHub Actions block").toBe(text.trimEnd());
  });

  it('runs nightly on a schedule, one job', () => {
    expect(workflow.on.schedule.map((entry) => entry.cron)).toEqual([expect.stringMatching(CRON_FIELDS)]);
    expect(Object.keys(workflow.jobs)).toHaveLength(1);
  });

  it('restores the history before the run and saves it after, even when the run fails', () => {
    // The combined actions/cache saves in a post step that runs only after a job that passed.
    expect(steps.filter((step) => /^actions\/cache@/.test(step.uses ?? ''))).toEqual([]);
    expect([restore, runStep, save].every((at) => at >= 0), 'restore, run and save steps').toBe(true);
    expect(restore).toBeLessThan(runStep);
    expect(save).toBeGreaterThan(runStep);
    expect(steps[save]?.if).toMatch(/^\$?\{?\{?\s*always\(\)\s*\}?\}?$/);
    expect(steps[upload]?.if).toMatch(/always\(\)/);
    const restoreWith = steps[restore]?.with ?? {};
    const saveWith = steps[save]?.with ?? {};
    expect(saveWith.path).toBe(restoreWith.path);
    expect(saveWith.key).toBe(restoreWith.key);
    // A new key each run (a cache entry is never overwritten), found the next night by its prefix.
    expect(restoreWith.key).toMatch(/\$\{\{ github\.run_id \}\}/);
    expect(restoreWith.key?.startsWith(restoreWith['restore-keys'] ?? '-')).toBe(true);
  });

  it('runs a fedcheck run that fedcheck accepts, writing where the cache and the artifact read, with no webhook when the secret is unset', () => {
    const step = steps[runStep] as Step;
    const unsetSecrets = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, raw]) => [name, raw.replace(/\$\{\{\s*secrets\.\w+\s*\}\}/g, '')]));
    const { words, settings } = validRun(step.run as string, unsetSecrets);
    expect(value(words, '--history')).toBe(steps[restore]?.with?.path);
    expect(`${value(words, '--out-dir')}/`).toBe(steps[upload]?.with?.path);
    expect(settings.webhook).toBeUndefined();

    const { settings: withSecret } = validRun(step.run as string, { WEBHOOK: 'https://hooks.slack.com/services/T/B/x' });
    expect(withSecret.webhook?.url.origin).toBe('https://hooks.slack.com');
  });
});

describe('examples/kubernetes/fedcheck-cronjob.yaml', () => {
  const documents = parseAllDocuments(readFileSync(join(ROOT, 'examples', 'kubernetes', 'fedcheck-cronjob.yaml'), 'utf8')).map(
    (document) => document.toJS() as { apiVersion: string; kind: string; metadata: { name: string }; spec: any },
  );
  const cronJob = documents.find((document) => document.kind === 'CronJob');
  const job = cronJob?.spec.jobTemplate.spec;
  const pod = job?.template.spec;
  const container = pod?.containers[0];

  it('is a batch/v1 CronJob: nightly, one run at a time, never retried, bounded in time', () => {
    expect(cronJob?.apiVersion).toBe('batch/v1');
    expect(cronJob?.spec.schedule).toMatch(CRON_FIELDS);
    expect(cronJob?.spec.concurrencyPolicy).toBe('Forbid');
    expect(job.backoffLimit).toBe(0);
    expect(job.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers).toHaveLength(1);
  });

  it('mounts what the command reads and writes, the webhook secret optional', () => {
    const { words, settings } = validRun(container.args[0], { FEDCHECK_WEBHOOK: '' });
    expect(container.command).toEqual(['/bin/sh', '-c']);
    // exec: SIGTERM at the deadline reaches fedcheck, which writes its partial report.
    expect(container.args[0]).toMatch(/^exec fedcheck run /);
    expect(settings.webhook).toBeUndefined();
    const mounts = container.volumeMounts as { name: string; mountPath: string; readOnly?: boolean }[];
    const volumes = pod.volumes as { name: string; persistentVolumeClaim?: { claimName: string } }[];
    expect(mounts.map((mount) => mount.name).sort()).toEqual(volumes.map((volume) => volume.name).sort());
    const mountOf = (path: string) => mounts.find((mount) => path === mount.mountPath || path.startsWith(`${mount.mountPath}/`));
    expect(mountOf(dirname(value(words, '--config') as string))?.name).toBeDefined();
    for (const option of ['--out-dir', '--history']) {
      const mount = mountOf(value(words, option) as string);
      expect(mount?.readOnly, `${option} is on a writable volume`).not.toBe(true);
      const claim = volumes.find((volume) => volume.name === mount?.name)?.persistentVolumeClaim?.claimName;
      expect(documents.some((document) => document.kind === 'PersistentVolumeClaim' && document.metadata.name === claim), `${option} outlives the pod`).toBe(true);
    }
    const secret = container.env.find((variable: { name: string }) => variable.name === 'FEDCHECK_WEBHOOK');
    expect(secret.valueFrom.secretKeyRef.optional).toBe(true);
    // With a read-only root, the temp folder needs a volume of its own.
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(mountOf('/tmp')).toBeDefined();
  });
});
