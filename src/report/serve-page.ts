// The page of `fedcheck serve`: a form for one domain, then, in one streamed response, each probe's result as it
// ends and, once judged, the report as `check --format html` shows it, with its JSON and facts to download. It
// works without JavaScript (a plain form; the browser renders the response as it arrives) and at phone widths.
// Everything from the request or the network is escaped; the page runs no script but the report's filters.

import type { ProbeTrace } from '../gather/scheduler.js';
import type { Report } from '../model/report.js';
import { escapeHtml } from './html-escape.js';
import { CONTENT_SECURITY_POLICY, FILTER_SCRIPT } from './html-filters.js';
import { STYLES } from './html-styles.js';
import { documentStart, reportHeading, reportMainChunks } from './html.js';
import { readableKey } from './trace.js';

/** The page's own CSP: the report's, and a form that may post to this server. */
export const PAGE_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("form-action 'none'", "form-action 'self'");

export interface PageContext {
  version: string;
  vantage: string;
  modules: readonly string[];
}

const PAGE_STYLES = `
form.check{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:end;margin:0}
form.check label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:2px}
form.check input[type=text]{font:inherit;padding:6px 8px;border:1px solid var(--line);border-radius:6px;min-width:16em;max-width:100%}
form.check select,form.check button{font:inherit;padding:6px 10px;border:1px solid var(--line);border-radius:6px;background:var(--paper)}
form.check button{background:#1f883d;color:#fff;border-color:#1a7f37;font-weight:600}
ol.probes{list-style:none;margin:0;padding:0;font-family:var(--mono);font-size:13px}
ol.probes li{padding:2px 0;border-bottom:1px solid var(--wash);overflow-wrap:anywhere}
ol.probes .ok{color:#116329}ol.probes .error{color:#a40e26}ol.probes .skipped{color:#57606a}ol.probes .timeout{color:#7d4e00}
p.downloads a{margin-right:12px}
@media (max-width:600px){.wrap{padding:0 12px}form.check input[type=text]{min-width:0;width:100%}form.check label{flex:1 1 100%}}
`;

function head(title: string, context: PageContext): string {
  return `${documentStart(title, PAGE_CONTENT_SECURITY_POLICY, context.version, `${STYLES}${PAGE_STYLES}`)}
<header class="top"><div class="wrap">
<h1>Federation check</h1>
<p>fedcheck ${escapeHtml(context.version)} · vantage ${escapeHtml(context.vantage)}: the domain is checked from where this server runs</p>
</div></header>
<main class="wrap">
`;
}

function checkForm(context: PageContext, domain = '', module = 'federation'): string {
  const options = context.modules.map((name) => `<option value="${escapeHtml(name)}"${name === module ? ' selected' : ''}>${escapeHtml(name)}</option>`).join('');
  return `<section class="card" aria-labelledby="check-title">
<h2 id="check-title">Check a domain</h2>
<form class="check" method="post" action="/check">
<label>Domain <input type="text" name="domain" value="${escapeHtml(domain)}" required maxlength="253" placeholder="contoso.com" autocapitalize="none" autocorrect="off" spellcheck="false" inputmode="url"></label>
<label>What <select name="module">${options}</select></label>
<button type="submit">Check</button>
</form>
<p class="muted">federation: SIP and XMPP as the domain publishes them; sip or xmpp: that service, which the domain must offer.</p>
</section>
`;
}

const FOOT = `
</main>
${FILTER_SCRIPT}
<footer><div class="wrap">Made by fedcheck. For Prometheus: <code>/probe?target=DOMAIN&amp;module=MODULE</code>; for scripts: <code>/api/check?domain=DOMAIN</code>.</div></footer>
</body>
</html>
`;

/** GET /: the form alone. */
export function renderHomePage(context: PageContext): string {
  return `${head('fedcheck: check a domain', context)}${checkForm(context)}${FOOT}`;
}

/** A request the page refuses (not a domain, not one this server checks, too many checks): the form again, and why. */
export function renderRefusalPage(context: PageContext, domain: string, module: string, message: string): string {
  return `${head('fedcheck: check a domain', context)}${checkForm(context, domain, module)}<section class="card" role="alert"><h2>Not checked</h2><p>${escapeHtml(message)}</p></section>${FOOT}`;
}

/** The streamed page, in order: `start`, a `probe` line as each probe ends, then `report` (or `failed`). */
export const checkPage = {
  start(context: PageContext, domain: string, module: string): string {
    return `${head(`fedcheck: checking ${domain}`, context)}${checkForm(context, domain, module)}<section class="card" id="progress" aria-labelledby="progress-title">
<h2 id="progress-title">Checking ${escapeHtml(domain)} (${escapeHtml(module)})</h2>
<ol class="probes" aria-live="polite">
`;
  },

  probe(probe: ProbeTrace): string {
    const outcome = probe.status === 'error' ? `error: ${probe.reason ?? 'failed'}` : probe.timedOut ? `${probe.status}, timed out` : probe.status;
    const seconds = ((probe.endedMs - probe.startedMs) / 1000).toFixed(3);
    // A probe that waited out its timeout is no answer from the peer, whatever it recorded: not shown as ok.
    return `<li class="${probe.timedOut ? 'timeout' : probe.status}">${escapeHtml(readableKey(probe.key))} · <span>${escapeHtml(outcome)}</span> · ${seconds} s</li>\n`;
  },

  *report(report: Report, downloads: { json: string; facts: string }): Generator<string> {
    const { headline, runLine } = reportHeading(report);
    yield `</ol>
<p>${escapeHtml(headline)}. ${escapeHtml(runLine)}</p>
<p class="downloads"><a href="${escapeHtml(downloads.json)}" download>Download the JSON report</a><a href="${escapeHtml(downloads.facts)}" download>Download the facts (for a ticket, or fedcheck check --replay)</a></p>
</section>
`;
    // The report is the HTML report's own content; its size budget counts the page around it.
    yield* reportMainChunks(report, {}, 20_000);
    yield FOOT;
  },

  failed(message: string): string {
    return `</ol>
<p role="alert">The check could not run: ${escapeHtml(message)}</p>
</section>
${FOOT}`;
  },
};
