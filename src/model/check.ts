// The contract every check under checks/ implements: metadata plus a pure evaluate().

import type { FactKind } from './fact-kinds.js';
import type { FactView } from './facts.js';
import type { Area, Finding, FindingService, Fix, Location, Reference, SkipReason, Snippet, Status } from './finding.js';
import type { Presence } from './presence-state.js';
import type { PresentedChain } from './listener.js';
import type { Service, Target } from './target.js';

export type Vantage = 'external' | 'internal';

/** Run options a check may read. Nothing here does I/O. */
export interface CheckOptions {
  vantage: Vantage;
  /** Networks (CIDR) the user allowed probing although they are private, loopback or link-local. */
  allowPrivate: string[];
  /** Certificates expiring in fewer days than this are a warning. */
  expiryWarningDays: number;
  /** Certificates expiring in fewer days than this are a failure: Nagios's CRITICAL, renewal cannot wait. */
  expiryCriticalDays: number;
  /** Extra trust anchors from --ca-file, base64 DER, trusted beside Node's roots. */
  extraTrustAnchors: string[];
  /** Our own domain for XMPP `from` and SIP From (--from-domain), when known. */
  fromDomain?: string;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  vantage: 'external',
  allowPrivate: [],
  expiryWarningDays: 30,
  expiryCriticalDays: 7,
  extraTrustAnchors: [],
};

export interface CheckContext {
  /** The target, its services narrowed to those judged (offered, undecided or expected), except for presence checks. */
  target: Target;
  /** Whether the domain offers each service it is checked for. */
  presence: Presence;
  facts: FactView;
  /** The chains the target's listeners presented (kind `presented-certificate`): derived from `facts`, or given by cert inspect. */
  certificates: readonly PresentedChain[];
  options: CheckOptions;
  /** The moment the facts were gathered: replays judge against the same clock. */
  now: Date;
}

/** A fix whose texts carry `{{placeholders}}` filled from the finding's data. */
export interface FixTemplate {
  summary: string;
  steps: string[];
  snippets?: Snippet[];
}

export interface CheckMeta {
  /** `<area>.<noun-phrase>`, also the file name under checks/<area>/. */
  id: string;
  area: Area;
  /** The passing state, e.g. "SIP federation SRV record is published". */
  title: string;
  /** The failing state. */
  failureTitle: string;
  /** Why it matters, one or two sentences. */
  description: string;
  /** The services this check applies to; it runs when one of them is judged for the target (see presence.ts). */
  services: Service[];
  /**
   * The check that says whether the domain offers its service: it runs even when the service is absent,
   * to say so (an `info` line, or a `fail` when the service is expected).
   */
  reportsPresence?: true;
  /**
   * A check of both services runs once per judged service, and its findings name that service. `domain`: it runs
   * once over both, because what it judges is shared (a host name both services use, the name servers); its
   * drafts name their service, or `none`. `config`: a policy check, run once over the federation policy config
   * whatever any domain offers; its drafts name their domain and service.
   */
  judgedPer?: 'domain' | 'config';
  /**
   * Every kind of fact the check reads: evaluation lets it read nothing else (a read of another kind throws), and
   * the documentation lists them.
   */
  requires: FactKind[];
  references: Reference[];
  /** Message templates by message id, with `{{placeholders}}`. */
  messages: Record<string, string>;
  fixes: Record<string, FixTemplate>;
}

export type FindingData = Record<string, string | number>;

/** What evaluate() returns; the engine renders messages and fixes from the templates. */
export interface FindingDraft {
  status: Status;
  /** The domain the finding belongs to, when not the target's: a policy finding names our own domain or a partner. */
  domain?: string;
  /** The service the finding is about; defaults to the check's only service, else `none`. */
  service?: FindingService;
  subject: string;
  /** Where the finding applies beyond its domain (the engine adds the domain). */
  location?: Omit<Location, 'domain'>;
  messageId: string;
  data?: FindingData;
  evidence?: string[];
  /** Required for warn and fail; names a key of meta.fixes. */
  fixId?: string;
  /** Only on a skip that no run from this vantage point could judge (see Finding). */
  skipReason?: SkipReason;
}

export interface Check {
  meta: CheckMeta;
  evaluate(context: CheckContext): FindingDraft[];
}

export function defineCheck(check: Check): Check {
  return check;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

/** Fills `{{name}}` from data; a placeholder without data is a bug in the check, so it throws. */
export function renderTemplate(template: string, data: FindingData, where: string): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`${where}: no data for {{${name}}}`);
    return String(value);
  });
}

/** A check of one service speaks of it; a check of both must name the service on each draft, else `none`. */
export function defaultService(meta: CheckMeta): FindingService {
  return meta.services.length === 1 ? (meta.services[0] as Service) : 'none';
}

export function renderFinding(check: Check, targetDomain: string, draft: FindingDraft): Finding {
  const { meta } = check;
  const domain = draft.domain ?? targetDomain;
  const data = draft.data ?? {};
  const where = `${meta.id}/${draft.messageId}`;
  const template = meta.messages[draft.messageId];
  if (template === undefined) throw new Error(`${where}: unknown message id`);
  const finding: Finding = {
    checkId: meta.id,
    area: meta.area,
    domain,
    service: draft.service ?? defaultService(meta),
    status: draft.status,
    subject: draft.subject,
    location: { domain, ...draft.location },
    messageId: draft.messageId,
    message: renderTemplate(template, data, where),
    evidence: draft.evidence ?? [],
    references: meta.references,
  };
  if (draft.fixId !== undefined) finding.fix = renderFix(meta, draft.fixId, data, where);
  if (draft.skipReason !== undefined && draft.status === 'skip') finding.skipReason = draft.skipReason;
  return finding;
}

function renderFix(meta: CheckMeta, fixId: string, data: FindingData, where: string): Fix {
  const template = meta.fixes[fixId];
  if (template === undefined) throw new Error(`${where}: unknown fix id ${fixId}`);
  return {
    summary: renderTemplate(template.summary, data, where),
    steps: template.steps.map((step) => renderTemplate(step, data, where)),
    snippets: (template.snippets ?? []).map((s) => ({ lang: s.lang, text: renderTemplate(s.text, data, where) })),
  };
}
