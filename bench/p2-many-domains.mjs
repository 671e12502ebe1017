// P2, many domains: `fedcheck run` of a config naming N healthy domains (default 300 and 1000), each with its own
// DNS zone and an Edge with SIP and XMPP (src/lab/many-domains.ts), served from this process. Prints fedcheck's
// CPU per domain (target <= 10 ms), its growth from the first N to the last (<= 1.2), peak RSS (<= 300 MB), wall ÷ the
// CPU floor (<= 1.25; floor = (fedcheck's CPU + the servers' CPU) / cores) and report.json bytes per domain (<= 8 KB).
// Run after `npm run build`: node bench/p2-many-domains.mjs [N ...]   (FEDCHECK_BIN=... to test another build)

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { formatServer } from '../dist/src/probes/resolvers.js';
import { startManyDomainsLab } from '../dist/src/lab/many-domains.js';
import { header, machine, runFedcheck, scratch, target, writeCa } from './lib.mjs';

const counts = process.argv.slice(2).map(Number);
if (counts.length === 0) counts.push(300, 1000);
const cores = cpus().length;

header(`P2, many domains: fedcheck run of ${counts.join(' and ')} domains`);
const figures = [];
for (const count of counts) {
  const { dir, remove } = scratch(`p2-${count}`);
  const startedLab = performance.now();
  const lab = await startManyDomainsLab({ count });
  console.log(`N=${count}: lab of ${count} domains (${count * 2} listeners) started in ${((performance.now() - startedLab) / 1000).toFixed(1)} s in ${lab.block}`);
  try {
    const [own, ...partners] = lab.domains;
    const config = join(dir, 'many.yaml');
    writeFileSync(
      config,
      [
        'own:',
        `  sipDomains: [${own}]`,
        `  xmppDomains: [${own}]`,
        `  accessEdgeFqdn: sip.${own}`,
        '  federation:',
        '    mode: allow-all-except-blocked',
        '    partnerDiscovery: true',
        `    xmppPartners: [${partners.join(', ')}]`,
        'partners:',
        ...partners.map((domain) => `  - ${domain}`),
        `fromDomain: ${own}`,
        'check:',
        `  resolvers: ['${formatServer(lab.resolver)}']`,
        `  allowPrivate: [${lab.allowPrivate.join(', ')}]`,
        // Generous: the machine is shared; a timeout would be a different run, not a slower one.
        '  timeoutMs: 15000',
        '  deadlineMs: 900000',
        `  caFiles: ['${writeCa(dir, lab.caPem)}']`,
        '',
      ].join('\n'),
    );
    const outDir = join(dir, 'out');
    const before = process.cpuUsage();
    const result = await runFedcheck(['run', '--config', config, '--out-dir', outDir, '--history', join(dir, 'history')]);
    const servers = process.cpuUsage(before);
    const serversMs = (servers.user + servers.system) / 1000;
    const reportBytes = statSync(join(outDir, 'report.json'), { throwIfNoEntry: false })?.size ?? NaN;
    const summary = result.stdout.split('\n')[0];
    const floorMs = (result.cpuMs + serversMs) / cores;
    const figure = { count, ...result, serversMs, floorMs, reportBytes };
    figures.push(figure);
    console.log(`  exit ${result.code}: ${summary}`);
    console.log(`  failing checks: ${failingChecks(join(outDir, 'report.json')) || 'none'}`);
    if (result.stderr.trim()) console.log(`  stderr: ${result.stderr.trim().split('\n').slice(0, 5).join('\n          ')}`);
    console.log(
      `  wall ${(result.wallMs / 1000).toFixed(1)} s; fedcheck CPU ${(result.cpuMs / 1000).toFixed(1)} s, ` +
        `servers' CPU ${(serversMs / 1000).toFixed(1)} s, floor ${(floorMs / 1000).toFixed(1)} s over ${cores} cores; ` +
        `peak RSS ${result.rssMb.toFixed(0)} MB; report.json ${(reportBytes / 1e6).toFixed(1)} MB; ${machine()}`,
    );
    target(`fedcheck CPU per domain at N=${count}`, result.cpuMs / count, 10, ' ms');
    target(`peak RSS at N=${count}`, result.rssMb, 300, ' MB');
    target(`wall / CPU floor at N=${count}`, result.wallMs / floorMs, 1.25);
    target(`report.json per domain at N=${count}`, reportBytes / count / 1024, 8, ' KiB');
    console.log('');
  } finally {
    await lab.close();
    remove();
  }
}
if (figures.length > 1) {
  const [first, last] = [figures[0], figures.at(-1)];
  target(`CPU per domain at N=${last.count} / at N=${first.count}`, last.cpuMs / last.count / (first.cpuMs / first.count), 1.2);
}

/** The checks that failed or could not measure, with how many domains each, so a broken run shows as one. */
function failingChecks(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return 'report.json unreadable';
  }
  const counts = new Map();
  for (const domain of report.domains ?? []) {
    for (const finding of domain.findings ?? []) {
      if (finding.status !== 'fail' && finding.status !== 'error') continue;
      const key = `${finding.checkId} ${finding.status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].map(([key, n]) => `${key} ×${n}`).join(', ');
}
