// @peculiar/x509 ready to use: its tsyringe container needs the reflect-metadata polyfill loaded before it, and its
// crypto operations need Node's WebCrypto.

import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };
