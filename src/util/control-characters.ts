// Text that came from outside (a partner's DNS, certificates and servers; a file the user passed) may hold
// control characters: ESC starts terminal sequences (clear the screen, retitle the window), BEL rings, CR
// overwrites the line, bidi overrides reorder what is read. Each is shown as its escape instead: `\x1b`.

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators and the bidi controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Every control character as `\xNN` (or `\uNNNN` beyond Latin-1); all other text as it is. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

