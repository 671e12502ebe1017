// The HTML report's look: one palette for the page and its SVG pictures, and the inline style sheet (no web fonts).

import type { Status } from '../model/finding.js';

export interface Swatch {
  /** Box and badge background. */
  fill: string;
  /** Border, bar and stripe colour. */
  stroke: string;
  /** Text on `fill`: at least 4.5:1 contrast (WCAG AA). */
  text: string;
}

/** `none`: no finding judged the node. */
export const PALETTE: Record<Status | 'none', Swatch> = {
  fail: { fill: '#ffebe9', stroke: '#cf222e', text: '#a40e26' },
  error: { fill: '#fbefff', stroke: '#8250df', text: '#6639ba' },
  warn: { fill: '#fff8c5', stroke: '#bf8700', text: '#7d4e00' },
  skip: { fill: '#f6f8fa', stroke: '#8c959f', text: '#57606a' },
  pass: { fill: '#dafbe1', stroke: '#1a7f37', text: '#116329' },
  info: { fill: '#ddf4ff', stroke: '#0969da', text: '#0550ae' },
  none: { fill: '#ffffff', stroke: '#afb8c1', text: '#57606a' },
};

export const STATUS_LABEL: Record<Status, string> = { fail: 'FAIL', error: 'ERROR', warn: 'WARN', skip: 'SKIP', pass: 'PASS', info: 'INFO' };

const statusRules = (Object.keys(PALETTE) as (Status | 'none')[])
  .map((status) => {
    const { fill, stroke, text } = PALETTE[status];
    return `.badge.${status}{background:${fill};color:${text};border-color:${stroke}}
.finding.${status}{border-left-color:${stroke}}
.tile.${status}{border-top-color:${stroke}}
.tile.${status} .count{color:${text}}`;
  })
  .join('\n');

export const STYLES = `
:root{--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--paper:#ffffff;--wash:#f6f8fa;--accent:#0969da;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 var(--sans);color:var(--ink);background:var(--wash)}
a{color:var(--accent)}
code,pre,.mono{font-family:var(--mono);font-size:13px}
header.top{background:#24292f;color:#fff;padding:20px 0}
header.top h1{margin:0;font-size:24px}
header.top p{margin:4px 0 0;color:#d0d7de;font-size:14px}
.wrap{max-width:1320px;margin:0 auto;padding:0 24px}
main section.card,nav.card{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:20px 0}
h2{font-size:20px;margin:0 0 12px}
h3{font-size:17px;margin:20px 0 8px}
h4{font-size:15px;margin:12px 0 6px}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:0 0 16px;padding:0;list-style:none}
.tile{flex:1 1 120px;border:1px solid var(--line);border-top-width:4px;border-radius:6px;padding:8px 12px;background:var(--paper)}
.tile .count{display:block;font-size:28px;font-weight:700;line-height:1.2}
.tile .what{color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.04em}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--wash);font-weight:600}
caption{text-align:left;caption-side:top;padding-bottom:6px;color:var(--muted)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;min-width:52px;text-align:center;font:700 12px/1.6 var(--sans);letter-spacing:.04em;border:1px solid;border-radius:10px;padding:0 8px}
.role{display:inline-block;font-size:12px;color:var(--muted);border:1px solid var(--line);border-radius:10px;padding:0 8px;margin-left:6px}
.muted{color:var(--muted)}
.changes li{margin:4px 0}
section.domain h2{display:flex;align-items:center;gap:10px;flex-wrap:wrap}
section.domain h2 .counts{font-size:14px;font-weight:400;color:var(--muted)}
figure{margin:8px 0 16px}
figure svg{display:block;width:100%;height:auto}
figcaption{font-size:13px;color:var(--muted)}
.scroll{overflow-x:auto}
.scroll svg{min-width:960px}
svg .col{font:600 12px var(--sans);fill:var(--muted)}
svg .label{font:600 11.5px var(--mono);fill:var(--ink)}
svg .detail{font:11px var(--sans);fill:var(--ink)}
svg .state{font:700 10.5px var(--sans);letter-spacing:.04em}
svg .edge{fill:none;stroke:#8c959f;stroke-width:1.5}
svg .axis{stroke:#8c959f;stroke-width:1}
svg .grid{stroke:#d0d7de;stroke-width:1}
svg .tick{font:11px var(--sans);fill:var(--muted)}
svg .threshold{stroke-width:1.5;stroke-dasharray:5 4}
.legend{display:flex;flex-wrap:wrap;gap:14px;list-style:none;padding:0;margin:6px 0 0;font-size:13px}
.legend .swatch{display:inline-block;width:14px;height:14px;border:2px solid;border-radius:3px;vertical-align:-2px;margin-right:4px}
.finding{border:1px solid var(--line);border-left:6px solid;border-radius:6px;padding:10px 14px;margin:10px 0;background:var(--paper)}
.finding .head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.finding .subject{font-weight:600;word-break:break-all}
.finding .check{color:var(--muted);font-size:13px}
.finding p.message{margin:6px 0}
.finding pre,.fix pre{background:var(--wash);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;margin:6px 0}
.fix{border-top:1px dashed var(--line);margin-top:8px;padding-top:6px}
.fix ol{margin:4px 0;padding-left:22px}
.fix figure{margin:6px 0}
.fix figcaption{font:600 12px var(--sans);text-transform:uppercase;letter-spacing:.04em}
.refs{font-size:13px;color:var(--muted);margin:6px 0 0}
details.quiet>summary{cursor:pointer;color:var(--muted);font-size:14px;margin:6px 0}
ul.compact{list-style:none;padding:0;margin:4px 0}
ul.compact li{padding:3px 0;border-bottom:1px solid var(--wash);font-size:14px}
ul.compact .badge{min-width:48px;margin-right:6px}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;margin:0 0 12px;font-size:14px}
.filters label{display:flex;gap:6px;align-items:center}
.filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid var(--line);border-radius:6px;background:var(--paper);min-width:0}
.filters .text{flex:1 1 200px}
.filters .text input{flex:1;width:100%}
#filter-count{color:var(--muted)}
td.fix-first{min-width:220px}
.service{white-space:nowrap}
.fix-summary{color:var(--ink)}
.table-scroll{overflow-x:auto}
@media (max-width:700px){
.wrap{padding:0 12px}
table.domains td,section.domain h2,.finding,.fix,ul.compact li,.changes li,#changes p{overflow-wrap:anywhere}
main section.card{padding:12px}
table.domains thead{display:none}
table.domains tr{display:block;border-bottom:1px solid var(--line);padding:8px 0}
table.domains td{display:inline-block;border:0;padding:2px 8px 2px 0}
table.domains td.name{display:block;font-weight:600}
table.domains td.num::before{content:attr(data-label) " ";color:var(--muted)}
table.domains td.fix-first{display:block;min-width:0}
.scroll svg{min-width:720px}
}
footer{color:var(--muted);font-size:13px;padding:12px 0 32px}
@media print{body{background:#fff}header.top{background:#fff;color:#000}header.top p{color:#333}.filters{display:none}}
${statusRules}
`;
