// The roles `fedcheck cert inspect --role` judges a certificate as, apart from the judging itself so the command's
// help can name them without loading the checks.

export type CertificateRole = 'sip-edge' | 'xmpp-server';
export const CERTIFICATE_ROLES: readonly CertificateRole[] = ['sip-edge', 'xmpp-server'];
