// An HTTP proxy on loopback that answers CONNECT only, as corporate proxies in front of Slack or Teams do, and
// records each tunnel it opened. Plain JavaScript so that both the TypeScript tests and the egress driver, which
// runs inside a network namespace from dist/, can start one.

import { createServer } from 'node:http';
import { connect } from 'node:net';

/**
 * @param {string} address the loopback address to listen on
 * @returns {Promise<import("./connect-proxy.d.mts").ConnectProxy>}
 */
export async function startConnectProxy(address) {
  /** @type {string[]} */
  const tunnels = [];
  const server = createServer((_request, response) => response.writeHead(405).end('CONNECT only'));
  server.on('connect', (request, client, head) => {
    const target = request.url ?? '';
    tunnels.push(target);
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  await new Promise((resolve) => server.listen(0, address, () => resolve(undefined)));
  const info = server.address();
  const port = typeof info === 'object' && info ? info.port : 0;
  return {
    url: `http://${address}:${port}`,
    tunnels,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve(undefined));
      }),
  };
}
