// The layers of docs/architecture.md, enforced: every relative import in src/ and checks/ goes to the importer's own
// layer or one below it. An upward import fails here, named with its file, its target and their layers.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/fedcheck.js';

/**
 * Bottom first. A file belongs to the first layer with a pattern matching its path (relative to the project root):
 * a folder per layer, but for src/policy, the federation-policy feature, whose files sit in four layers.
 */
export const LAYERS: readonly { name: string; files: RegExp }[] = [
  { name: 'model', files: /^src\/model\// },
  { name: 'pki', files: /^src\/pki\// },
  { name: 'util', files: /^src\/util\// },
  { name: 'judging', files: /^src\/judge\/|^src\/policy\/(config-views|decision|decision-text|explain|explain-target|cisco-routes)\.ts$/ },
  { name: 'probes', files: /^src\/probes\// },
  { name: 'gather', files: /^src\/gather\/|^src\/policy\/(gather|cisco-probes)\.ts$/ },
  { name: 'config', files: /^src\/config\// },
  { name: 'checks', files: /^checks\// },
  { name: 'evaluation', files: /^src\/engine\/|^src\/policy\// },
  { name: 'history', files: /^src\/history\// },
  { name: 'report', files: /^src\/report\// },
  { name: 'lab', files: /^src\/lab\// },
  { name: 'run', files: /^src\/run\// },
  { name: 'serve', files: /^src\/serve\// },
  { name: 'cli', files: /^src\/cli\// },
];

function layerOf(path: string): number {
  const index = LAYERS.findIndex((layer) => layer.files.test(path));
  if (index < 0) throw new Error(`${path} belongs to no layer: add it to LAYERS`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import and re-export of a file, type-only ones included: a type is a dependency too. */
function importsOf(path: string): string[] {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)].map((match) =>
    relative(ROOT, normalize(join(ROOT, dirname(path), (match[1] ?? '').replace(/\.js$/, '.ts')))),
  );
}

describe('layers', () => {
  const files = [...sourceFiles('src'), ...sourceFiles('checks')];

  it('puts every file of src/ and checks/ in a layer', () => {
    expect(files.filter((path) => !LAYERS.some((layer) => layer.files.test(path)))).toEqual([]);
  });

  it('has no import from a layer to one above it', () => {
    const upward = files.flatMap((path) =>
      importsOf(path)
        .filter((target) => layerOf(target) > layerOf(path))
        .map((target) => `${path} (${LAYERS[layerOf(path)]?.name}) -> ${target} (${LAYERS[layerOf(target)]?.name})`),
    );
    expect(upward).toEqual([]);
  });
});
