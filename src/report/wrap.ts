// Word wrapping for the plain-text renderers: lines break at spaces only, so a word, a command or a URL is never cut.

/** The width of the plain-text formats that do not follow the terminal (the terminal report takes its own). */
export const TEXT_WIDTH = 100;

/** Breaks text at spaces so no line exceeds `width`; a longer word (a URL) stays whole, on a line of its own. */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ').filter((w) => w !== '')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Wraps text after a prefix, continuation lines aligned under the text.
 * `prefixWidth` is the prefix's visible width, which differs from its length when it holds colour codes.
 */
export function hanging(prefix: string, text: string, prefixWidth = prefix.length, width = TEXT_WIDTH): string[] {
  const pad = ' '.repeat(prefixWidth);
  const room = Math.max(20, width - prefixWidth);
  return wrapText(text, room).map((line, index) => (index === 0 ? prefix : pad) + line);
}

/**
 * The text on one line of `width` columns: whole when it fits, else cut at the last space that leaves room for "…".
 * A first word longer than the width is kept whole, as wrapping keeps it.
 */
export function cutAtWord(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= width) return flat;
  const space = flat.lastIndexOf(' ', width - 1);
  if (space <= 0) return flat.split(' ')[0] ?? flat;
  return `${flat.slice(0, space).replace(/[\s,;:.—-]+$/, '')}…`;
}
