// Error text from upstreams and from the go/git processes can carry credentials (a URL with
// user:password, an Authorization header echoed by git). Everything that may reach a log, a
// client or the statistics passes through here first.

const secretNamePattern = /(TOKEN|PASSWORD|SECRET|PASS|AUTH|CREDENTIAL|KEY)/i;

/** Values of secret-looking variables in env, longest first so overlapping values redact whole. */
export function secretValuesFrom(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6) continue;
    if (secretNamePattern.test(name) || /^GIT_CONFIG_VALUE_\d+$/.test(name)) values.push(value);
  }
  return values.sort((a, b) => b.length - a.length);
}

/** Every form in which the credentials among `headers` could be repeated back, longest first. */
export function secretValuesOfHeaders(headers: Record<string, string>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'user-agent' || value.length < 4) continue;
    values.push(value);
    const scheme = /^(basic|bearer)\s+(\S+)$/i.exec(value);
    if (!scheme) continue;
    values.push(scheme[2]!);
    if (scheme[1]!.toLowerCase() !== 'basic') continue;
    const userPassword = Buffer.from(scheme[2]!, 'base64').toString('utf8');
    values.push(userPassword);
    const password = userPassword.slice(userPassword.indexOf(':') + 1);
    if (password.length >= 4) values.push(password);
  }
  return values.sort((a, b) => b.length - a.length);
}

/**
 * URL userinfo redacted as the go command redacts it (`user:xxxxx@`). A username alone is
 * redacted whole (`xxxxx@`): in `https://<token>@host` the username is the secret.
 */
export function redactUrlUserinfo(text: string): string {
  return text.replace(
    /(\b[a-z][a-z0-9+.-]*:\/\/)([^/?#@\s]*)@/gi,
    (_all, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:xxxxx` : 'xxxxx'}@`;
    },
  );
}

/**
 * The store's temp files (`<dir>/.tmp-<pid>-<hex>`, see atomic-file.ts) named in an error
 * (an fs error message, say) become `<temp file>`: local paths are no client's business.
 */
export function redactTempPaths(text: string): string {
  return text
    .replace(/'[^'\n]*[/\\]\.tmp-\d+-[0-9a-f]+'/g, "'<temp file>'") // quoted, as fs errors write them
    .replace(/(?:[A-Za-z]:)?[/\\][^\s'"`]*?[/\\]\.tmp-\d+-[0-9a-f]+/g, '<temp file>');
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = redactTempPaths(redactUrlUserinfo(text));
  out = out.replace(/(authorization:\s*)(basic|bearer)\s+\S+/gi, '$1$2 ***');
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}
