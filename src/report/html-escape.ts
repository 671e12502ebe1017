// Text helpers for the HTML report: escaping (partner-controlled text such as SRV targets, certificate subjects and SIP
// headers ends up there) and shortening labels that must fit a box.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values alike; control characters (never meaningful in a report) become U+FFFD. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
}

/** Shortens a label that must fit a fixed-width box; the full text goes into the element's <title>. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
