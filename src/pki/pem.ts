// PEM armour: the DER inside `-----BEGIN <label>-----` blocks, and back.

/** The DER of every block with this label, in order. */
export function pemBlocks(text: string, label: string): Buffer[] {
  const pattern = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(pattern)].map((match) => Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64'));
}

export function toPem(der: Uint8Array, label: string): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** DER from what callers hand around: bytes, base64 DER, or PEM text holding a block with this label. */
export function derFrom(input: string | Uint8Array, label: string): Buffer {
  if (typeof input !== 'string') return Buffer.from(input);
  if (input.includes('-----BEGIN')) {
    const [first] = pemBlocks(input, label);
    if (!first) throw new Error(`the PEM text holds no ${label} block`);
    return first;
  }
  return Buffer.from(input, 'base64');
}
