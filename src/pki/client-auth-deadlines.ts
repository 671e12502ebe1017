// When public CAs stop putting Client Authentication (clientAuth) in TLS server certificates: the one dated table every
// message about it reads. It is a Chrome Root Program rule, not a CA/Browser Forum one; each CA phases it out on its
// own dates before Chrome's. Found with the search tool on the as-of date below; update the table, never the messages.

/** The day the dates below were last checked against their sources. */
export const CLIENT_AUTH_DEADLINES_AS_OF = '2026-12-03';

export interface ClientAuthMilestone {
  /** YYYY-MM-DD, UTC. */
  date: string;
  /** What changes, said before the date; `{date}` is replaced by the date. */
  before: string;
  /** The same, said from the date on. */
  after: string;
  source: string;
}

export interface ClientAuthSchedule {
  /** The name fedcheck shows: "DigiCert". */
  ca: string;
  /** Matched, case-insensitively, inside the issuer's O or CN: the CA and the brands it issues under. */
  issuerNames: string[];
  /** In date order; the last one is the day the CA stops issuing clientAuth altogether. */
  milestones: ClientAuthMilestone[];
}

const CHROME_POLICY = 'https://googlechrome.github.io/chromerootprogram/';

/** Chrome Root Program Policy 1.8 (2026-02-05): the leaf date was first planned for 2026-06-15. */
export const CHROME_ROOT_PROGRAM: ClientAuthSchedule = {
  ca: 'Chrome Root Program',
  issuerNames: [],
  milestones: [
    {
      date: '2026-06-15',
      before: 'requires new intermediate CA certificates to be serverAuth-only from {date}',
      after: 'has required new intermediate CA certificates to be serverAuth-only since {date}',
      source: CHROME_POLICY,
    },
    {
      date: '2027-03-15',
      before: 'requires every new leaf certificate to be serverAuth-only from {date}',
      after: 'has required every new leaf certificate to be serverAuth-only since {date}',
      source: CHROME_POLICY,
    },
  ],
};

const LETS_ENCRYPT = 'https://letsencrypt.org/2025/05/14/ending-tls-client-authentication/';
const DIGICERT = 'https://knowledge.digicert.com/alerts/sunsetting-client-authentication-eku-from-digicert-public-tls-certificates';
const SECTIGO = 'https://sectigo.com/faq-client-authentication-eku-deprecation';
const GOOGLE_TRUST_SERVICES = 'https://pki.goog/updates/may2025-clientauth.html';

export const CLIENT_AUTH_SCHEDULES: ClientAuthSchedule[] = [
  {
    ca: 'DigiCert',
    issuerNames: ['DigiCert', 'GeoTrust', 'Thawte', 'RapidSSL', 'Encryption Everywhere'],
    milestones: [
      {
        date: '2025-10-01',
        before: 'stops including clientAuth by default on {date}',
        after: 'has left clientAuth out by default since {date}',
        source: DIGICERT,
      },
      // Moved from 2026-05-01 when Chrome moved its leaf date (DigiCert's alert, updated 2026-03-03).
      {
        date: '2027-03-01',
        before: 'still issues clientAuth on request until {date}',
        after: 'stopped issuing clientAuth on {date}',
        source: DIGICERT,
      },
    ],
  },
  {
    ca: 'Sectigo',
    issuerNames: ['Sectigo', 'COMODO'],
    milestones: [
      {
        date: '2025-09-15',
        before: 'stops including clientAuth by default on {date}',
        after: 'has left clientAuth out by default since {date}',
        source: SECTIGO,
      },
      {
        date: '2026-05-15',
        before: 'stops issuing clientAuth on {date} according to its FAQ',
        after: 'set its hard stop for {date} in its FAQ',
        source: SECTIGO,
      },
      // Not on Sectigo's own pages as of the date above: resellers report the hard stop moved with Chrome's leaf date.
      {
        date: '2027-02-10',
        before: 'still issues clientAuth on request until {date}, as resellers report',
        after: 'stopped issuing clientAuth on {date}, as resellers reported',
        source: 'https://comparecheapssl.com/?p=12632',
      },
    ],
  },
  {
    ca: 'Google Trust Services',
    issuerNames: ['Google Trust Services'],
    milestones: [
      {
        date: '2025-11-10',
        before: 'refuses clientAuth requests unless you opt in from the week of {date}',
        after: 'has refused clientAuth requests unless opted in since the week of {date}',
        source: GOOGLE_TRUST_SERVICES,
      },
      {
        date: '2026-04-13',
        before: 'refuses every clientAuth request from the week of {date}',
        after: 'has refused every clientAuth request since the week of {date}',
        source: GOOGLE_TRUST_SERVICES,
      },
    ],
  },
  {
    ca: "Let's Encrypt",
    issuerNames: ["Let's Encrypt", 'ISRG'],
    milestones: [
      {
        date: '2026-02-11',
        before: 'drops clientAuth from its default (classic) profile on {date}',
        after: 'dropped clientAuth from its default (classic) profile on {date}',
        source: LETS_ENCRYPT,
      },
      {
        date: '2026-05-13',
        before: 'closes its tlsclient profile to new accounts on {date}',
        after: 'closed its tlsclient profile to new accounts on {date}',
        source: LETS_ENCRYPT,
      },
      // Announced as the end on 2026-05-13; kept for accounts already using it until this date.
      {
        date: '2026-07-08',
        before: 'keeps clientAuth in the tlsclient profile for its existing users until {date}',
        after: 'ended the tlsclient profile on {date}',
        source: 'https://www.krakenkey.io/blog/lets-encrypt-generation-y-transition',
      },
    ],
  },
];
