// What one `fedcheck serve` instance runs with: the config's settings once read, swapped whole on a reload, so a
// probe in flight keeps the settings it started with.

import type { LiveRunOptions } from '../engine/run.js';
import type { FedcheckConfig, ServeLimits, ServeModule } from '../model/config.js';
import type { TargetRules } from './targets.js';

export interface ServeSettings {
  /** The config file, when one was given. */
  config?: FedcheckConfig;
  vantage: string;
  rules: TargetRules;
  modules: Map<string, ServeModule>;
  limits: ServeLimits;
  /** The bearer token every request must carry, when serve.tokenFile is set. */
  token?: string;
  /** Everything a probe shares but its target, from the config's check section; deadlineMs is a probe's longest. */
  live: Omit<LiveRunOptions, 'targets' | 'onProgress' | 'onProbe' | 'onTrace' | 'signal'>;
}
