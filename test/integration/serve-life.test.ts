// The life of a long-running `fedcheck serve`, as systemd runs it: SIGTERM lets a probe in flight finish and exits
// 0; SIGHUP reads the config again, and keeps the running one (saying why, with the file and line) when the new one
// has an error; a start that cannot work is one line and exit 3; --allow-any-target is said at start; a module
// presents our certificate when it says so, and no answer ever holds its key.

import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestPki } from '../../src/pki/test-ca.js';
import { fedcheck } from '../support/fedcheck.js';
import { sharedLab } from '../support/lab.js';
import { startServe, writeServeConfig } from '../support/serve.js';
import { tempFolders } from '../support/temp-folders.js';

const tempFolder = tempFolders();

describe('signals', () => {
  it('SIGTERM: the probe in flight is answered in full, then the server exits 0', async () => {
    const serve = await startServe(['--config', writeServeConfig(tempFolder('serve-term'), sharedLab())]);
    // silent-edge.test never speaks: its probe waits for the 3 s probe timeout, long enough to be in flight.
    const inFlight = fetch(`${serve.url}/probe?target=silent-edge.test&module=sip`).then(async (r) => ({ status: r.status, text: await r.text() }));
    // The request is in flight once its probe runs: the metrics say so.
    await waitFor(async () => (await (await fetch(`${serve.url}/metrics`)).text()).includes('fedcheck_serve_probes_in_flight{vantage="lab"} 1'));
    const stopping = serve.nextLine(/SIGTERM: finishing the probes in flight/);
    const exited = serve.stop('SIGTERM');
    await stopping;
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('probe_success{vantage="lab"} 0');
    expect(answer.text).toMatch(/check="tls\.handshake"[^}]*\} 3$/m);
    expect(await exited).toBe(0);
    expect(serve.stdout()).toMatch(/fedcheck serve: stopped\n$/);
  });

  it('SIGHUP: a valid config applies to the next probe; one with an error is refused with its line, and the running one kept', async () => {
    const dir = tempFolder('serve-hup');
    const lab = sharedLab();
    const config = writeServeConfig(dir, lab, { targets: [] });
    const serve = await startServe(['--config', config]);
    const probe = async (target: string) => (await fetch(`${serve.url}/probe?target=${target}&module=sip`)).status;
    expect(await probe('m365.test')).toBe(403);

    writeServeConfig(dir, lab, { targets: ['m365.test'] });
    const reloaded = serve.nextLine(/config .* reloaded/);
    serve.child.kill('SIGHUP');
    expect(await reloaded).toContain("probing only the config's 2 domains and 1 serve.targets entry");
    expect(await probe('m365.test')).toBe(200);

    writeServeConfig(dir, lab, { targets: ['m365.test'], limits: { probesInFlight: 'many' } });
    const refused = serve.nextLine(/config reload failed/);
    serve.child.kill('SIGHUP');
    expect(await refused).toMatch(/the running config is kept: .*fedcheck\.yaml:\d+:\d+: serve\.limits\.probesInFlight: expected a whole number of probes/);
    expect(await probe('m365.test')).toBe(200);
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toContain('fedcheck_serve_config_last_reload_successful{vantage="lab"} 0');
    expect(await serve.stop()).toBe(0);
  });
});

describe('starting', () => {
  it('says --allow-any-target at start', async () => {
    const serve = await startServe(['--config', writeServeConfig(tempFolder('serve-any'), sharedLab()), '--allow-any-target']);
    expect(serve.stdout()).toContain('--allow-any-target: any domain asked for is probed, by whoever can reach this server');
    expect((await fetch(`${serve.url}/probe?target=contoso.com&module=sip`)).status).toBe(200);
    expect(await serve.stop()).toBe(0);
  });

  it('refuses a port already taken, a bad --listen and a module that needs a certificate the config lacks: one line, exit 3', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const config = writeServeConfig(tempFolder('serve-start'), sharedLab());
    const busy = await fedcheck(['serve', '--config', config, '--listen', `127.0.0.1:${port}`]);
    taken.close();
    expect([busy.code, busy.stderr]).toEqual([3, `fedcheck: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`]);

    const badListen = await fedcheck(['serve', '--config', config, '--listen', 'example.com:80']);
    expect([badListen.code, badListen.stderr]).toEqual([3, 'fedcheck: invalid --listen "example.com:80": expected an address and a port, such as 127.0.0.1:9469, [::1]:9469 or 0.0.0.0:9469\n']);

    const needsCertificate = writeServeConfig(tempFolder('serve-cert'), sharedLab(), { modules: { inside: { clientCertificate: true } } });
    const noCertificate = await fedcheck(['serve', '--config', needsCertificate]);
    expect(noCertificate.code).toBe(3);
    expect(noCertificate.stderr).toBe(`fedcheck: ${needsCertificate}: serve.modules.inside.clientCertificate: true needs check.clientCertificate in the config: the certificate to present\n`);
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the condition never held');
}

describe('a module presenting our certificate', () => {
  it('offers it for mutual TLS, so the XMPP server offers SASL EXTERNAL, and no answer holds the key', async () => {
    const dir = tempFolder('serve-client-cert');
    const issued = await (await createTestPki({ name: 'our federation CA' })).issue({ commonName: 'ours.test', dnsNames: ['ours.test'], eku: ['serverAuth', 'clientAuth'] });
    writeFileSync(join(dir, 'client.pem'), issued.fullChainPem);
    writeFileSync(join(dir, 'client.key'), issued.keyPem, { mode: 0o600 });
    const lab = sharedLab();
    const config = writeServeConfig(dir, lab, { modules: { ours: { services: ['xmpp'], clientCertificate: true } } });
    // check.clientCertificate beside the lab's settings, as an admin adds it.
    writeFileSync(config, readFileSync(config, 'utf8').replace(/^check:\n/m, 'check:\n  clientCertificate:\n    certFile: client.pem\n    keyFile: client.key\n'));
    const serve = await startServe(['--config', config]);
    try {
      const external = async (module: string) => {
        const text = await (await fetch(`${serve.url}/probe?target=healthy.test&module=${module}`)).text();
        expect(text).not.toMatch(/PRIVATE KEY/);
        return /^fedcheck_xmpp_sasl_mechanism_offered\{[^}]*mechanism="EXTERNAL"\} (\d)$/m.exec(text)?.[1];
      };
      expect(await external('xmpp')).toBe('0');
      expect(await external('ours')).toBe('1');
      const json = await (await fetch(`${serve.url}/api/check?domain=healthy.test&module=ours`)).text();
      expect(json).not.toMatch(/PRIVATE KEY/);
      expect(json).not.toContain(issued.keyPem.split('\n')[1]);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});
