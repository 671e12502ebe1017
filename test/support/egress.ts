// The egress the probe tests connect under: a partner's, with the lab's loopback networks allowed, as the lab's
// `--allow-private 127.0.0.0/8,::1/128` does for `fedcheck check`.

import { noLookup, type Egress } from '../../src/probes/connector.js';

export const LOOPBACK_EGRESS: Egress = { kind: 'partner', allowPrivate: ['127.0.0.0/8', '::1/128'], lookup: noLookup };
