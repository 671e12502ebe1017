// P1, one domain: `fedcheck check healthy.test` against the lab with every exchange delayed (default 100 ms), wall
// time ÷ critical path, target <= 1.15. The critical path is the longest chain of dependent exchanges the lab delays
// (CHAIN below) × the delay. Prints the lab's own timeline of delayed exchanges, and fedcheck's per-probe timeline
// when the fedcheck under test has one (FEDCHECK_TRACE=1), so the gap is visible.
// Run after `npm run build`: node bench/p1-one-domain.mjs [delay-ms] [runs]   (FEDCHECK_BIN=... to test another build)

import { formatServer } from '../dist/src/probes/resolvers.js';
import { startLab } from '../dist/src/lab/lab.js';
import { header, median, runFedcheck, scratch, target, writeCa } from './lib.mjs';

const DOMAIN = 'healthy.test';
const delayMs = Number(process.argv[2] ?? 100);
const runs = Number(process.argv[3] ?? 3);

/**
 * The longest dependent chain for healthy.test, in exchanges the lab delays (src/lab/delay.ts): the XMPP endpoint's,
 * since its session takes four exchanges and its TLS version probes, which wait for the session, four more. The
 * TCP handshakes are not delayed by the lab, so they are not counted. The NS chain (NS → A of the name servers →
 * each server's answer: three) and the SIP endpoint's (SRV, A, TLS 1.3, OPTIONS, then TLS 1.2 versions: seven) are
 * shorter and run beside it.
 */
const CHAIN = [
  'DNS      SRV _xmpp-server._tcp.healthy.test',
  'DNS      A/AAAA sip.healthy.test',
  'XMPP     stream header -> stream header + features (STARTTLS)',
  'XMPP     <starttls/> -> <proceed/>',
  'TLS 1.3  ClientHello -> ServerHello ... Finished (one server flight)',
  'XMPP     restarted stream header -> stream header + features',
  'versions (after the session) stream header -> features',
  'versions <starttls/> -> <proceed/>',
  'versions TLS 1.2 ClientHello -> ServerHello ... ServerHelloDone',
  'versions TLS 1.2 ClientKeyExchange ... Finished -> ChangeCipherSpec, Finished',
];

header(`P1, one domain: fedcheck check ${DOMAIN}, every lab exchange ${delayMs} ms late, ${runs} runs`);
let exchanges = [];
const lab = await startLab({ delayMs, onExchange: (hop) => exchanges.push({ at: performance.now(), hop }) });
const { dir, remove } = scratch('p1');
try {
  const args = [
    'check', DOMAIN, '--resolver', formatServer(lab.resolver), '--allow-private', lab.allowPrivate.join(','),
    '--timeout', String(lab.timeoutMs), '--ca-file', writeCa(dir, lab.caPem), '--format', 'json',
  ];
  const results = [];
  for (let run = 0; run < runs; run += 1) {
    exchanges = [];
    const started = performance.now();
    const result = await runFedcheck(args, { env: { FEDCHECK_TRACE: '1' } });
    const findings = JSON.parse(result.stdout).domains?.[0]?.findings ?? [];
    const first = exchanges[0]?.at ?? started;
    results.push({ ...result, started, firstExchange: first - started, exchanges, findings });
  }
  const criticalMs = CHAIN.length * delayMs;
  console.log(`Critical path: ${CHAIN.length} dependent exchanges × ${delayMs} ms = ${criticalMs} ms`);
  CHAIN.forEach((hop, index) => console.log(`  ${String(index + 1).padStart(2)}. ${hop}`));
  const last = results.at(-1);
  console.log(`\nThe lab's delayed exchanges in the last run (ms after fedcheck was started; ${last.exchanges.length} in all):`);
  for (const { at, hop } of last.exchanges) console.log(`  ${(at - last.started).toFixed(0).padStart(6)}  ${hop}`);
  const trace = last.stderr.trim();
  console.log(trace ? `\nfedcheck's own timeline (stderr with FEDCHECK_TRACE=1):\n${trace}` : '\n(no per-probe timeline from this fedcheck)');
  const statuses = (r) => r.findings.map((f) => `${f.checkId}=${f.status}`).sort().join(' ');
  if (new Set(results.map(statuses)).size > 1) console.log('\nWARNING: the runs did not give the same findings');
  console.log(`\nFindings: ${last.findings.length}, of which fail/error: ${last.findings.filter((f) => f.status === 'fail' || f.status === 'error').length}; exit code ${last.code}`);
  const wall = median(results.map((r) => r.wallMs));
  const startup = median(results.map((r) => r.firstExchange));
  console.log(`\nWall (median of ${runs}): ${wall.toFixed(0)} ms, of which ${startup.toFixed(0)} ms before the first DNS query reached the lab`);
  console.log(`fedcheck CPU (median): ${median(results.map((r) => r.cpuMs)).toFixed(0)} ms, peak RSS ${median(results.map((r) => r.rssMb)).toFixed(0)} MB\n`);
  target('wall / critical path', wall / criticalMs, 1.15);
  target('(wall - start-up before the first query) / critical path', (wall - startup) / criticalMs, 1.15);
} finally {
  await lab.close();
  remove();
}
