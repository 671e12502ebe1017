// Where in a file a schema problem is: the path as the field is reached, for config files and facts files alike.

const NAME = /^[A-Za-z_$][\w$-]*$/;

/** `own.federation.allowedDomains[2].proxyFqdn`; a key that is no plain name quoted: `facts["dns:SRV:x"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (!NAME.test(String(segment))) text += `[${JSON.stringify(String(segment))}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text === '' ? '(top level)' : text;
}
