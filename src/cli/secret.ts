// Asks for a secret on the terminal without echoing it.

import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export function readSecret(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  // Everything readline would echo goes nowhere; only the prompt above is shown.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
