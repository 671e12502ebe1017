// The certificate-expiry timeline as inline SVG: one bar per certificate on an axis from the run's day to a year
// later, expired ones as red markers at the left edge, the warning (and critical) thresholds as dashed lines.

import { escapeHtml, truncate } from './html-escape.js';
import { PALETTE } from './html-styles.js';
import { displayFingerprint } from '../model/report-certificates.js';
import type { EndpointCertificates, SeenCertificate } from '../model/report-certificates.js';

export interface TimelineOptions {
  /** The run's clock: day 0 of the axis. */
  now: Date;
  warnDays: number;
  critDays?: number;
}

/** One certificate, wherever it was seen: a shared intermediate or leaf gets one bar. */
export interface TimelineRow {
  certificate: SeenCertificate;
  leaf: boolean;
  domains: string[];
  endpoints: string[];
}

const WIDTH = 1110;
const LABEL_X = 10;
const PLOT_X0 = 400;
const PLOT_X1 = 910;
const DAYS_X = 922;
const TOP = 46;
const ROW = 24;
const BAR = 12;
const BOTTOM = 40;
const SPAN_DAYS = 365;
const TICKS = [0, 90, 180, 270, 365];
const LABEL_CHARS = 52;
const DAY_MS = 86_400_000;

/** Certificates in the order to show them: the soonest to expire first. */
export function timelineRows(seen: readonly EndpointCertificates[]): TimelineRow[] {
  const rows = new Map<string, TimelineRow>();
  for (const entry of seen) {
    entry.chain.forEach((certificate, index) => {
      const row = rows.get(certificate.sha256) ?? { certificate, leaf: index === 0, domains: [], endpoints: [] };
      if (!row.domains.includes(entry.domain)) row.domains.push(entry.domain);
      if (!row.endpoints.includes(entry.endpoint)) row.endpoints.push(entry.endpoint);
      rows.set(certificate.sha256, row);
    });
  }
  return [...rows.values()].sort(
    (a, b) => a.certificate.daysLeft - b.certificate.daysLeft || rowLabel(a).localeCompare(rowLabel(b)),
  );
}

export function renderTimelineSvg(rows: readonly TimelineRow[], options: TimelineOptions): string {
  const height = TOP + rows.length * ROW + BOTTOM;
  const x = (days: number) => PLOT_X0 + (Math.min(Math.max(days, 0), SPAN_DAYS) / SPAN_DAYS) * (PLOT_X1 - PLOT_X0);
  const ticks = TICKS.map((days) => {
    const date = new Date(options.now.getTime() + days * DAY_MS).toISOString().slice(0, 10);
    return [
      `<line x1="${x(days)}" y1="${TOP - 6}" x2="${x(days)}" y2="${height - BOTTOM}" class="grid"/>`,
      `<text x="${x(days)}" y="16" text-anchor="middle" class="tick">${days === 0 ? 'run day' : `+${days} days`}</text>`,
      `<text x="${x(days)}" y="31" text-anchor="middle" class="tick">${date}</text>`,
    ].join('');
  });
  const thresholds = [
    { days: options.warnDays, color: PALETTE.warn.stroke, text: `warning: under ${options.warnDays} days` },
    ...(options.critDays !== undefined ? [{ days: options.critDays, color: PALETTE.fail.stroke, text: `critical: under ${options.critDays} days` }] : []),
  ].map(
    ({ days, color, text }, index) =>
      `<line x1="${x(days)}" y1="${TOP - 6}" x2="${x(days)}" y2="${height - BOTTOM + 6}" class="threshold" stroke="${color}"/>` +
      `<text x="${x(days) + 4}" y="${height - 22 + index * 14}" class="tick" fill="${color}">${text}</text>`,
  );
  const bars = rows.map((row, index) => bar(row, index, x, options));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" class="timeline" role="img" aria-labelledby="timeline-title timeline-desc">`,
    `<title id="timeline-title">Certificate expiry, from the run's day to a year later</title>`,
    `<desc id="timeline-desc">${escapeHtml(rows.map((row) => `${rowLabel(row)}: ${daysText(row.certificate)}`).join('; '))}</desc>`,
    ...ticks,
    `<line x1="${PLOT_X0}" y1="${TOP - 6}" x2="${PLOT_X1}" y2="${TOP - 6}" class="axis"/>`,
    ...bars,
    ...thresholds,
    '</svg>',
  ].join('\n');
}

function bar(row: TimelineRow, index: number, x: (days: number) => number, options: TimelineOptions): string {
  const { certificate } = row;
  const y = TOP + index * ROW;
  const days = certificate.daysLeft;
  const critical = days < 0 || (options.critDays !== undefined && days < options.critDays);
  const swatch = critical ? PALETTE.fail : days < options.warnDays ? PALETTE.warn : PALETTE.pass;
  const mid = y + ROW / 2;
  const mark =
    days < 0
      ? // Expired: a marker on the left edge, where the axis starts.
        `<path d="M${PLOT_X0} ${mid - 7} l7 7 l-7 7 l-7 -7 z" fill="${swatch.stroke}"/>`
      : `<rect x="${PLOT_X0}" y="${mid - BAR / 2}" width="${Math.max(2, x(days) - PLOT_X0)}" height="${BAR}" rx="2" fill="${swatch.stroke}"/>` +
        (days > SPAN_DAYS ? `<path d="M${PLOT_X1 + 2} ${mid - 6} l6 6 l-6 6 z" fill="${swatch.stroke}"/>` : '');
  const tooltip = [
    certificate.subject || '(empty subject)',
    `issuer: ${certificate.issuer}`,
    `valid ${certificate.notBefore} to ${certificate.notAfter} (${daysText(certificate)})`,
    `SHA-256 ${displayFingerprint(certificate.sha256)}`,
    `seen at: ${row.endpoints.join(', ')}`,
  ].join('\n');
  return [
    `<g><title>${escapeHtml(tooltip)}</title>`,
    `<rect x="0" y="${y}" width="${WIDTH}" height="${ROW}" fill="${index % 2 === 0 ? '#ffffff' : '#f6f8fa'}"/>`,
    `<text x="${LABEL_X}" y="${mid + 4}" class="label">${escapeHtml(truncate(rowLabel(row), LABEL_CHARS))}</text>`,
    mark,
    `<text x="${DAYS_X}" y="${mid + 4}" class="detail" fill="${swatch.text}">${escapeHtml(daysText(certificate))}</text>`,
    '</g>',
  ].join('');
}

function rowLabel(row: TimelineRow): string {
  const [first = ''] = row.domains;
  const domains = row.domains.length > 1 ? `${first} +${row.domains.length - 1}` : first;
  return row.leaf ? `${domains} · ${row.certificate.name}` : `CA ${row.certificate.name} · ${row.domains.length} domain${row.domains.length === 1 ? '' : 's'}`;
}

function daysText(certificate: SeenCertificate): string {
  const date = certificate.notAfter.slice(0, 10);
  if (certificate.daysLeft < 0) return `expired ${-certificate.daysLeft} d ago (${date})`;
  return `${certificate.daysLeft} d left (${date})`;
}
