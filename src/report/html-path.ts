// The path picture of one domain as inline SVG: one column per step (domain → SRV → host → address → port →
// certificate), one box per node coloured by its status and labelled with it in words, lines from node to node.

import type { Finding } from '../model/finding.js';
import { STATUSES } from '../model/finding.js';
import { PATH_COLUMNS } from '../model/observation.js';
import type { DomainPath, PathColumn, PathNode } from '../model/observation.js';
import type { DomainReport } from '../model/report.js';
import { escapeHtml, truncate } from './html-escape.js';
import { PALETTE, STATUS_LABEL } from './html-styles.js';

const COLUMN_TITLES: Record<PathColumn, string> = {
  domain: 'Domain',
  srv: 'SRV record',
  host: 'Host',
  address: 'Address',
  port: 'Port',
  certificate: 'Certificate',
};

const BOX_WIDTH = 184;
const BOX_HEIGHT = 58;
const COLUMN_GAP = 30;
const ROW_GAP = 14;
const PAD = 10;
const HEADER = 26;
// Monospace at 11.5px is about 6.9px a character: what fits in a box less its padding.
const LABEL_CHARS = 24;
const DETAIL_CHARS = 29;

interface Placed {
  node: PathNode;
  x: number;
  y: number;
}

/** The domain's path, from its observations; `id` makes the <title>/<desc> references unique within the page. */
export function renderPathSvg(domain: DomainReport, path: DomainPath, id: string): string {
  const placed = layout(path);
  const rows = Math.max(1, ...PATH_COLUMNS.map((column) => path.nodes.filter((n) => n.column === column).length));
  const width = PAD * 2 + PATH_COLUMNS.length * BOX_WIDTH + (PATH_COLUMNS.length - 1) * COLUMN_GAP;
  const height = HEADER + PAD * 2 + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP;
  const at = new Map(placed.map((p) => [p.node.id, p]));
  const headers = PATH_COLUMNS.map(
    (column, index) =>
      `<text x="${columnX(index) + BOX_WIDTH / 2}" y="${PAD + 12}" text-anchor="middle" class="col">${COLUMN_TITLES[column]}</text>`,
  );
  const lines = path.edges.flatMap(({ from, to }) => {
    const a = at.get(from);
    const b = at.get(to);
    if (a === undefined || b === undefined) return [];
    const [x1, y1, x2, y2] = [a.x + BOX_WIDTH, a.y + BOX_HEIGHT / 2, b.x, b.y + BOX_HEIGHT / 2];
    const mid = (x1 + x2) / 2;
    return [`<path d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}" class="edge"/>`];
  });
  const empty =
    path.nodes.length <= 1
      ? [`<text x="${columnX(1)}" y="${HEADER + PAD + BOX_HEIGHT / 2}" class="detail">no federation record was asked about</text>`]
      : [];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" class="path" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">Federation path of ${escapeHtml(domain.domain)}</title>`,
    `<desc id="${id}-desc">${escapeHtml(describe(path))}</desc>`,
    ...headers,
    ...lines,
    ...placed.map((place) => box(place, domain.findings)),
    ...empty,
    '</svg>',
  ].join('\n');
}

/** The legend the pictures share, as HTML. */
export function pathLegend(): string {
  const items = [...STATUSES.map((s) => [s, STATUS_LABEL[s]] as const), ['none', 'NOT JUDGED'] as const].map(
    ([status, label]) =>
      `<li><span class="swatch" style="background:${PALETTE[status].fill};border-color:${PALETTE[status].stroke}"></span>${label}</li>`,
  );
  return `<ul class="legend" aria-label="Legend">${items.join('')}</ul>`;
}

function columnX(index: number): number {
  return PAD + index * (BOX_WIDTH + COLUMN_GAP);
}

/**
 * Each column stacked and centred on the tallest; within a column, nodes in the order of their parents' rows,
 * so the lines cross as little as a simple layout allows.
 */
function layout(path: DomainPath): Placed[] {
  const rows = Math.max(1, ...PATH_COLUMNS.map((column) => path.nodes.filter((n) => n.column === column).length));
  const rowOf = new Map<string, number>();
  const placed: Placed[] = [];
  PATH_COLUMNS.forEach((column, index) => {
    const nodes = path.nodes.filter((n) => n.column === column);
    const parentRow = (node: PathNode): number => {
      const parents = path.edges.filter((e) => e.to === node.id).map((e) => rowOf.get(e.from) ?? 0);
      return parents.length === 0 ? 0 : parents.reduce((a, b) => a + b, 0) / parents.length;
    };
    const sorted = nodes.map((node, order) => ({ node, order, key: parentRow(node) })).sort((a, b) => a.key - b.key || a.order - b.order);
    const offset = (rows - sorted.length) / 2;
    sorted.forEach(({ node }, row) => {
      rowOf.set(node.id, offset + row);
      placed.push({ node, x: columnX(index), y: HEADER + PAD + (offset + row) * (BOX_HEIGHT + ROW_GAP) });
    });
  });
  return placed;
}

function box({ node, x, y }: Placed, findings: readonly Finding[]): string {
  const swatch = PALETTE[node.status ?? 'none'];
  const problems = node.findings.flatMap((index) => findings[index] ?? []).filter((f) => f.status !== 'pass');
  const state = node.status === undefined ? 'NOT JUDGED' : `${STATUS_LABEL[node.status]} · ${node.findings.length} finding${node.findings.length === 1 ? '' : 's'}`;
  const tooltip = [
    `${COLUMN_TITLES[node.column]}: ${node.label}`,
    node.detail,
    node.status === undefined ? 'no finding is about this node' : `status: ${node.status}`,
    ...problems.map((f) => `${f.status.toUpperCase()} ${f.checkId}: ${f.message}`),
  ].join('\n');
  return [
    `<g>`,
    `<title>${escapeHtml(tooltip)}</title>`,
    `<rect x="${x}" y="${y}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="6" fill="${swatch.fill}" stroke="${swatch.stroke}" stroke-width="1.5"/>`,
    `<rect x="${x}" y="${y}" width="5" height="${BOX_HEIGHT}" rx="2" fill="${swatch.stroke}"/>`,
    `<text x="${x + 12}" y="${y + 18}" class="label">${escapeHtml(truncate(node.label, LABEL_CHARS))}</text>`,
    `<text x="${x + 12}" y="${y + 34}" class="detail">${escapeHtml(truncate(node.detail, DETAIL_CHARS))}</text>`,
    `<text x="${x + 12}" y="${y + 50}" class="state" fill="${swatch.text}">${state}</text>`,
    `</g>`,
  ].join('');
}

/** The picture in words, for screen readers: each column's nodes with their status. */
function describe(path: DomainPath): string {
  return PATH_COLUMNS.flatMap((column) => {
    const nodes = path.nodes.filter((n) => n.column === column);
    if (nodes.length === 0) return [];
    return [`${COLUMN_TITLES[column]}: ${nodes.map((n) => `${n.label} (${n.detail}; ${n.status ?? 'not judged'})`).join(', ')}.`];
  }).join(' ');
}
