import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/model/errors.js';
import { isWithinDomain, normalizeDomain } from '../../src/model/target.js';

describe('normalizeDomain', () => {
  it.each([
    ['Contoso.COM', 'contoso.com'],
    ['contoso.com.', 'contoso.com'],
    ['  fabrikam.example ', 'fabrikam.example'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['ΠΑΡΆΔΕΙΓΜΑ.ΔΟΚΙΜΉ', 'xn--hxajbheg2az3al.xn--jxalpdlp'],
    ['sip-01.a1.example', 'sip-01.a1.example'],
  ])('%s becomes %s', (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['localhost', 'one label'],
    ['exa mple.com', 'a space'],
    ['example..com', 'an empty label'],
    ['-bad.example', 'a leading hyphen'],
    ['bad-.example', 'a trailing hyphen'],
    ['192.0.2.1', 'an address'],
    [`${'a'.repeat(64)}.example`, 'a 64-character label'],
    ['under_score.example', 'an underscore'],
  ])('rejects %j (%s) with one line naming the input', (input) => {
    let thrown: unknown;
    try {
      normalizeDomain(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const message = (thrown as Error).message;
    expect(message).toContain(`"${input}"`);
    expect(message).toContain('expected a DNS name');
    expect(message).not.toContain('\n');
  });
});

describe('isWithinDomain', () => {
  it('accepts the domain and names below it, not look-alikes', () => {
    expect(isWithinDomain('contoso.com', 'contoso.com')).toBe(true);
    expect(isWithinDomain('sip.contoso.com', 'contoso.com')).toBe(true);
    expect(isWithinDomain('notcontoso.com', 'contoso.com')).toBe(false);
    expect(isWithinDomain('contoso.com.evil.example', 'contoso.com')).toBe(false);
  });
});
