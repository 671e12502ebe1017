import { describe, expect, it } from 'vitest';
import { caCutoffs, clientAuthOutlook, scheduleForIssuer } from '../../src/judge/client-auth-outlook.js';
import { CHROME_ROOT_PROGRAM, CLIENT_AUTH_DEADLINES_AS_OF, CLIENT_AUTH_SCHEDULES } from '../../src/pki/client-auth-deadlines.js';

describe('the clientAuth deadline table', () => {
  it('is dated, in date order per CA, and cites an https source for every date', () => {
    expect(CLIENT_AUTH_DEADLINES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const schedule of [CHROME_ROOT_PROGRAM, ...CLIENT_AUTH_SCHEDULES]) {
      const dates = schedule.milestones.map((milestone) => milestone.date);
      expect(dates, schedule.ca).toEqual([...dates].sort());
      for (const milestone of schedule.milestones) {
        expect(milestone.source, `${schedule.ca} ${milestone.date}`).toMatch(/^https:\/\//);
        expect(milestone.before).toContain('{date}');
        expect(milestone.after).toContain('{date}');
      }
    }
  });
});

describe('scheduleForIssuer', () => {
  it.each([
    ['CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US', 'DigiCert'],
    ['CN=GeoTrust TLS RSA CA G1,OU=www.digicert.com,O=DigiCert Inc,C=US', 'DigiCert'],
    ['CN=RapidSSL TLS RSA CA G1,O=Example Reseller,C=US', 'DigiCert'],
    ['CN=Sectigo Public Server Authentication CA DV R36,O=Sectigo Limited,C=GB', 'Sectigo'],
    ['CN=WR1,O=Google Trust Services,C=US', 'Google Trust Services'],
    ["CN=R11,O=Let's Encrypt,C=US", "Let's Encrypt"],
    ['CN=YR1,O=ISRG,C=US', "Let's Encrypt"],
  ])('names the CA of %s', (issuer, ca) => {
    expect(scheduleForIssuer(issuer)?.ca).toBe(ca);
  });

  it('reads names inside escaped values and ignores other attributes', () => {
    expect(scheduleForIssuer('CN=Issuing CA\\, DigiCert brand,O=Contoso')?.ca).toBe('DigiCert');
    expect(scheduleForIssuer('CN=Contoso Issuing CA,OU=DigiCert customers,O=Contoso')).toBeUndefined();
    expect(scheduleForIssuer('CN=Contoso Enterprise CA,DC=contoso,DC=com')).toBeUndefined();
  });
});

describe('clientAuthOutlook', () => {
  const digiCert = 'CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1,O=DigiCert Inc,C=US';

  it('says the CA still issues clientAuth until the day before its last date, and no longer from that day', () => {
    expect(clientAuthOutlook(digiCert, new Date('2027-02-28T23:59:59Z'))).toMatchObject({
      ca: 'DigiCert',
      stillIssued: true,
      lastDate: '2027-03-01',
    });
    expect(clientAuthOutlook(digiCert, new Date('2027-03-01T00:00:00Z'))).toMatchObject({ ca: 'DigiCert', stillIssued: false });
  });

  it('falls back to the Chrome Root Program dates for a CA it does not know, or no issuer at all', () => {
    const outlook = clientAuthOutlook(undefined, new Date('2026-06-14T12:00:00Z'));
    expect(outlook.ca).toBeUndefined();
    expect(outlook.text).toContain('the Chrome Root Program (a Chrome rule, not a CA/Browser Forum one) requires new intermediate');
    expect(clientAuthOutlook('CN=Contoso Root CA', new Date('2026-06-15T00:00:00Z')).text).toContain('has required new intermediate');
  });
});

describe('caCutoffs', () => {
  it("lists every CA's last date in the tense of the clock given", () => {
    expect(caCutoffs(new Date('2026-12-03T00:00:00Z'))).toEqual([
      'DigiCert still issues clientAuth on request until 2027-03-01',
      'Sectigo still issues clientAuth on request until 2027-02-10, as resellers report',
      'Google Trust Services has refused every clientAuth request since the week of 2026-04-13',
      "Let's Encrypt ended the tlsclient profile on 2026-07-08",
    ]);
  });
});
