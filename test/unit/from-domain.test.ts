// Which domain the SIP and XMPP probes say they come from, toward each domain checked.

import { describe, expect, it } from 'vitest';
import { fromDomainToward } from '../../src/model/target.js';

describe('fromDomainToward', () => {
  it('is our domain toward a partner', () => {
    expect(fromDomainToward({ domain: 'fabrikam.com', role: 'partner' }, 'contoso.com')).toBe('contoso.com');
    expect(fromDomainToward({ domain: 'fabrikam.com' }, 'contoso.com')).toBe('contoso.com');
  });

  it('is left to the probe (fedcheck.invalid) toward our own domains, which refuse a stream from a domain they host', () => {
    expect(fromDomainToward({ domain: 'contoso.com', role: 'own' }, 'contoso.com')).toBeUndefined();
    expect(fromDomainToward({ domain: 'contoso.net', role: 'own' }, 'contoso.com')).toBeUndefined();
    expect(fromDomainToward({ domain: 'contoso.com' }, 'contoso.com')).toBeUndefined();
  });

  it('stays unset when none is given', () => {
    expect(fromDomainToward({ domain: 'fabrikam.com', role: 'partner' }, undefined)).toBeUndefined();
  });
});
