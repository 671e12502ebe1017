// Runs inside the network namespace the egress test creates (only its own loopback exists): starts the lab, then
// fedcheck under strace, against the lab's hostile egress scenarios and a healthy domain. Prints one JSON object:
// every connect() the fedcheck processes made, and what each command printed.

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [dist, bin, root] = process.argv.slice(2);
const { startLab } = await import(join(dist, 'src/lab/lab.js'));
const { createTestPki } = await import(join(dist, 'src/pki/test-ca.js'));
const { formatServer } = await import(join(dist, 'src/probes/resolvers.js'));
const { startConnectProxy } = await import(join(root, 'test/support/connect-proxy.mjs'));

const dir = mkdtempSync(join(tmpdir(), 'fedcheck-egress-'));
const lab = await startLab();
const caFile = join(dir, 'lab-ca.pem');
writeFileSync(caFile, lab.caPem);
// A certificate file whose AIA URL is the instance metadata service, as a partner's CA could write it.
const pki = await createTestPki({ name: 'egress file' });
const issued = await pki.issue({ commonName: 'sip.egress-file.test', dnsNames: ['sip.egress-file.test'], caIssuersUrl: 'http://169.254.169.254/latest/meta-data/' });
const certFile = join(dir, 'metadata-aia.pem');
writeFileSync(certFile, issued.certPem);

// Generous: the machine running the tests may be busy, and a slow handshake is not what this test is about.
const TIMEOUT_MS = 5000;
const DEADLINE_MS = 45_000;
const runs = [];
let traces = 0;
async function traced(name, args, env = {}) {
  const trace = join(dir, `trace-${traces++}`);
  const child = spawn('strace', ['-f', '-qq', '-e', 'trace=connect', '-o', trace, process.execPath, bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  runs.push({ name, args, code, stdout, stderr, connects: readFileSync(trace, 'utf8').split('\n').filter((line) => line.includes('connect(')) });
}

try {
  const labNetworks = ['--allow-private', lab.allowPrivate.join(',')];
  await traced('check', [
    'check',
    'healthy.test',
    'egress-mapped.test',
    'egress-aia.test',
    '--resolver',
    formatServer(lab.resolver),
    ...labNetworks,
    '--timeout',
    String(TIMEOUT_MS),
    '--deadline',
    String(DEADLINE_MS),
    '--ca-file',
    caFile,
    '--revocation',
    '--format',
    'json',
  ]);
  // The lab's own AIA URL is on loopback, allowed; the redirect it answers with goes to 169.254.169.254.
  await traced('inspect-live', ['cert', 'inspect', '127.77.91.1:5061', '--role', 'sip-edge', '--domain', 'egress-aia.test', '--edge', 'sip.egress-aia.test', '--ca-file', caFile, ...labNetworks, '--timeout', String(TIMEOUT_MS), '--format', 'json']);
  // The policy lab config: partner SRV lookups through the resolver, the Cisco next hops as the admin's own.
  const config = join(dir, 'fedcheck.yaml');
  writeFileSync(
    config,
    readFileSync(join(root, 'fixtures/configs/policy-lab.yaml'), 'utf8')
      .replaceAll('{{resolver}}', formatServer(lab.resolver))
      .replaceAll('{{caFile}}', caFile)
      .replaceAll('{{timeoutMs}}', String(TIMEOUT_MS))
      .replaceAll('{{block}}', lab.block.split('.').slice(0, 2).join('.')),
  );
  await traced('policy-lint', ['policy', 'lint', '--config', config, '--format', 'json']);
  await traced('inspect-file', ['cert', 'inspect', certFile, '--role', 'sip-edge', '--domain', 'egress-file.test', '--edge', 'sip.egress-file.test', '--format', 'json']);
  // The nightly run: the same domains from a config, its reports written, its summary posted to a chat webhook
  // through the proxy HTTP_PROXY names (both the admin's own, on loopback here).
  const posts = [];
  const hook = createServer((request, response) => {
    request.resume().on('end', () => {
      posts.push(request.url);
      response.end('ok');
    });
  });
  await new Promise((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const proxy = await startConnectProxy('127.0.0.2');
  const nightly = join(dir, 'nightly.yaml');
  writeFileSync(
    nightly,
    `own:
  sipDomains: [healthy.test]
  xmppDomains: [healthy.test]
partners: [egress-mapped.test, egress-aia.test]
check:
  resolvers: ['${formatServer(lab.resolver)}']
  allowPrivate: [${lab.allowPrivate.map((network) => `'${network}'`).join(', ')}]
  timeoutMs: ${TIMEOUT_MS}
  deadlineMs: ${DEADLINE_MS}
  caFiles: ['${caFile}']
  revocation: true
`,
  );
  const webhook = `http://127.0.0.1:${hook.address().port}/services/egress`;
  await traced('run', ['run', '--config', nightly, '--out-dir', join(dir, 'nightly'), '--webhook', webhook], {
    HTTP_PROXY: proxy.url,
    http_proxy: proxy.url,
    NO_PROXY: '',
    no_proxy: '',
  });
  const last = runs[runs.length - 1];
  Object.assign(last, { report: readFileSync(join(dir, 'nightly', 'report.json'), 'utf8'), posts, tunnels: proxy.tunnels });
  await proxy.close();
  await new Promise((resolve) => hook.close(resolve));
} finally {
  await lab.close();
  // The traces, the reports and the CA: what the test reads is in the JSON printed below.
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify({ runs }));
