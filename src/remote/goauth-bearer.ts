// A bearer token for a remote proxy, given to the go command through GOAUTH (Go 1.24+): a
// command whose output names URL prefixes and the headers to send to them. The token sits in a
// 0600 file that the command prints; GOAUTH itself (an exported variable) holds only a path.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The GOAUTH command output: URL lines, a blank line, header lines, a blank line. */
export function bearerHeaderBlock(proxyUrl: string, token: string): string {
  if (/[\s]/.test(token) || token === '') throw new Error('the proxy token is empty or contains white space');
  const url = new URL(proxyUrl);
  if (url.protocol !== 'https:') throw new Error('a bearer token is only sent to an https:// proxy');
  const prefix = `https://${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return `${prefix}\n\nAuthorization: Bearer ${token}\n\n`;
}

/**
 * Writes the header block and returns the GOAUTH value: netrc first (so the user's other
 * credentials keep working), then a command printing the block. GOAUTH splits a command on
 * spaces, so the directory must not contain any.
 */
export async function writeBearerGoauth(options: {
  dir: string;
  proxyUrl: string;
  token: string;
}): Promise<string> {
  if (/\s/.test(options.dir)) {
    throw new Error(
      `the temp directory ${options.dir} contains white space, which GOAUTH cannot quote; use proxy-auth: netrc`,
    );
  }
  if (process.platform === 'win32') {
    throw new Error(
      `proxy-auth: bearer needs a Linux or macOS runner (the GOAUTH command is 'cat'); use proxy-auth: netrc`,
    );
  }
  const file = join(options.dir, 'goauth-headers');
  await writeFile(file, bearerHeaderBlock(options.proxyUrl, options.token), { mode: 0o600 });
  await chmod(file, 0o600);
  return `netrc;cat ${file}`;
}
