// What the clientAuth deadlines mean for one certificate at one moment: the issuing CA's own dates when fedcheck knows
// the CA, else Chrome's, each said in the tense `now` calls for. Pure: the caller passes the clock.

import { CHROME_ROOT_PROGRAM, CLIENT_AUTH_SCHEDULES } from '../pki/client-auth-deadlines.js';
import type { ClientAuthMilestone, ClientAuthSchedule } from '../pki/client-auth-deadlines.js';

export interface ClientAuthOutlook {
  /** The issuing CA's name from the table, when the issuer is one of them. */
  ca?: string;
  /** One clause, lower-case first: "your CA, DigiCert, ... until 2027-03-01: renew now ...". */
  text: string;
  /** The day the CA (or Chrome, for a CA fedcheck does not know) stops clientAuth altogether. */
  lastDate: string;
  /** `now` is before lastDate: a renewal can still carry clientAuth. */
  stillIssued: boolean;
}

/** The schedule of the CA named in the issuer DN's O or CN, if fedcheck knows it. */
export function scheduleForIssuer(issuer: string): ClientAuthSchedule | undefined {
  const names = nameValues(issuer).map((value) => value.toLowerCase());
  return CLIENT_AUTH_SCHEDULES.find((schedule) =>
    schedule.issuerNames.some((name) => names.some((value) => value.includes(name.toLowerCase()))),
  );
}

/** The outlook for a certificate from `issuer` (an RFC 4514 DN), or for any public CA when the issuer is not known. */
export function clientAuthOutlook(issuer: string | undefined, now: Date): ClientAuthOutlook {
  const schedule = issuer === undefined ? undefined : scheduleForIssuer(issuer);
  if (schedule) {
    const last = lastMilestone(schedule);
    const stillIssued = !reached(last, now);
    const tail = stillIssued
      ? `renew now and ask for Client Authentication, before ${last.date}`
      : 'no certificate from it will carry Client Authentication again';
    return { ca: schedule.ca, text: `your CA, ${schedule.ca}, ${milestonesText(schedule, now)}: ${tail}`, lastDate: last.date, stillIssued };
  }
  const last = lastMilestone(CHROME_ROOT_PROGRAM);
  const stillIssued = !reached(last, now);
  const tail = stillIssued
    ? 'public CAs stop earlier, each on its own date: ask yours now whether it still issues Client Authentication'
    : 'no public CA issues a TLS server certificate with Client Authentication any more';
  return { text: `${chromeRule(now)}; ${tail}`, lastDate: last.date, stillIssued };
}

/** "the Chrome Root Program (a Chrome rule, not a CA/Browser Forum one) has required ... and requires ...". */
export function chromeRule(now: Date): string {
  return `the Chrome Root Program (a Chrome rule, not a CA/Browser Forum one) ${milestonesText(CHROME_ROOT_PROGRAM, now)}`;
}

/** Each known CA's last clientAuth date, in the tense `now` calls for: "DigiCert still issues clientAuth on request until 2027-03-01". */
export function caCutoffs(now: Date): string[] {
  return CLIENT_AUTH_SCHEDULES.map((schedule) => `${schedule.ca} ${phrase(lastMilestone(schedule), now)}`);
}

function milestonesText(schedule: ClientAuthSchedule, now: Date): string {
  const phrases = schedule.milestones.map((milestone) => phrase(milestone, now));
  return phrases.length > 1 ? `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}` : (phrases[0] ?? '');
}

function phrase(milestone: ClientAuthMilestone, now: Date): string {
  return (reached(milestone, now) ? milestone.after : milestone.before).replace('{date}', milestone.date);
}

function reached(milestone: ClientAuthMilestone, now: Date): boolean {
  return now.getTime() >= Date.parse(`${milestone.date}T00:00:00Z`);
}

function lastMilestone(schedule: ClientAuthSchedule): ClientAuthMilestone {
  const last = schedule.milestones[schedule.milestones.length - 1];
  if (!last) throw new Error(`the clientAuth schedule of ${schedule.ca} has no dates`);
  return last;
}

/** The O and CN values of an RFC 4514 DN, unescaped enough to compare names. */
function nameValues(dn: string): string[] {
  const values: string[] = [];
  for (const match of dn.matchAll(/(?:^|[,+])\s*(O|CN)=((?:\\.|[^,+])*)/gi)) {
    values.push((match[2] ?? '').replace(/\\(.)/g, '$1'));
  }
  return values;
}
