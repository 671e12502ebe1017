// Word wrapping for the plain-text renderers, so reports stay readable in a 100-column terminal.

export const TEXT_WIDTH = 100;

/** Breaks text at spaces so no line exceeds `width`; a longer word stays whole rather than being cut. */
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
