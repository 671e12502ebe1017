// A resolver in front of the lab's that counts the questions it is asked: what the run asks of its resolver, as
// the resolver sees it. It forwards every UDP datagram and TCP stream to the lab's resolver unchanged.

import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import net from 'node:net';
import dns2 from 'dns2';
import type { DnsServer } from '../../src/probes/resolvers.js';

const { Packet } = dns2;
const TYPE_NAMES = new Map(Object.entries(Packet.TYPE).map(([name, code]) => [code as number, name]));

export interface CountingResolver {
  server: DnsServer;
  /** How many times each question came over UDP, keyed `TYPE name`. */
  questions: Map<string, number>;
  close(): Promise<void>;
}

/** Listens on `address`, at the lab resolver's port, so the lab's name servers are still asked on their port. */
export async function startCountingResolver(upstream: DnsServer, address: string): Promise<CountingResolver> {
  const questions = new Map<string, number>();
  const udp = createSocket('udp4');
  udp.on('message', (message, client) => {
    for (const { name, type } of Packet.parse(message).questions as { name: string; type: number }[]) {
      const key = `${TYPE_NAMES.get(type) ?? type} ${name.toLowerCase()}`;
      questions.set(key, (questions.get(key) ?? 0) + 1);
    }
    forwardDatagram(message, upstream, (answer) => udp.send(answer, client.port, client.address));
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(upstream.port, address, () => resolve());
  });
  // A truncated answer is asked again over TCP: passed through as it is.
  const tcp = net.createServer((client) => {
    const lab = net.connect(upstream.port, upstream.address);
    client.pipe(lab).pipe(client);
    client.on('error', () => lab.destroy());
    lab.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(upstream.port, address, () => resolve());
  });
  return {
    server: { address, port: upstream.port },
    questions,
    close: async () => {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

/** One socket per question, so concurrent questions with the same id cannot take each other's answers. */
function forwardDatagram(message: Buffer, upstream: DnsServer, answer: (bytes: Buffer) => void): void {
  const socket: UdpSocket = createSocket('udp4');
  // The lab answers every question but the scenarios' silent names: those are left to the client's timeout.
  const giveUp = setTimeout(() => socket.close(), 10_000);
  socket.on('message', (bytes) => {
    clearTimeout(giveUp);
    socket.close();
    answer(bytes);
  });
  socket.send(message, upstream.port, upstream.address);
}
