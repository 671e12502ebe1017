// The bundle carries the code of every dependency it imports, so the package ships no node_modules: their licences
// (MIT, ISC, BSD and Apache all ask that the notice travel with the code) go beside it, in one file written from
// esbuild's metafile, which names each input the bundle really holds.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Files a package ships its licence or notice in: LICENSE, LICENCE.md, COPYING, NOTICE, CopyrightNotice.txt, ... */
const NOTICE_FILE = /^(licen[cs]e|copying|notice|copyrightnotice)(\.|-|$)/i;

/**
 * The notices of the packages whose files are among `inputs` (the metafile's input paths, relative to `root`), one
 * section per package, ordered by name; a package is found by the last node_modules folder in an input's path.
 */
export function thirdPartyNotices(root, inputs) {
  const packageDirs = new Set();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packageDirs.add(match[1]);
  }
  const sections = [...packageDirs]
    .map((dir) => section(join(root, dir)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header =
    'fedcheck bundles the code of the following packages into dist/fedcheck.mjs and dist/chunks/.\n' +
    'Their licences and notices follow, as each package ships them.\n';
  return [header, ...sections.map((s) => s.text)].join('\n');
}

function section(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const files = readdirSync(dir)
    .filter((name) => NOTICE_FILE.test(name))
    .sort();
  // A package may leave its licence file out of what it publishes (saxes does): then its manifest says what it can.
  const texts =
    files.length > 0
      ? files.map((name) => readFileSync(join(dir, name), 'utf8').trim())
      : [`This package publishes no licence file. Its package.json gives the licence as ` +
          `${manifest.license ?? 'nothing'}${author(manifest) ? `, the author as ${author(manifest)}` : ''}` +
          `${repository(manifest) ? ` and the source as ${repository(manifest)}` : ''}.`];
  const title = `${manifest.name}@${manifest.version}, licence ${manifest.license ?? 'not given'}`;
  const rule = '='.repeat(78);
  return { name: `${manifest.name}@${manifest.version}`, text: `${rule}\n${title}\n${rule}\n\n${texts.join('\n\n')}\n` };
}

function author(manifest) {
  return typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
}

function repository(manifest) {
  return typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
}
