// The in-job proxy's client token (serve --client-token-env): a random value per job that the
// go command sends as the first path segment of GOPROXY, so that another user's process on a
// shared host cannot use, fill or probe this job's proxy. It is a secret: never on a command
// line (it travels in the daemon's environment) and never in a log line (hideClientToken).

import { randomBytes } from 'node:crypto';

/** The variable the daemon reads the token from (--client-token-env names it). */
export const CLIENT_TOKEN_ENV = 'GOPROXY_ACTION_CLIENT_TOKEN';

/** What a printed URL shows in the token's place. */
export const CLIENT_TOKEN_SHOWN = '<client token>';

/** 24 random bytes, base64url: 32 characters of [A-Za-z0-9_-], as serve accepts. */
export function newClientToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A proxy URL for display: a path that is just one token of ours (32 base64url characters, as
 * GOPROXY carries it in the Action and the GitLab components) shown as `<client token>`. For
 * code that reads GOPROXY without knowing the token (health in a job of the GitLab component).
 */
export function hideClientPath(url: string): string {
  return url.replace(/^(https?:\/\/[^/]+)\/[A-Za-z0-9_-]{32}\/?$/, `$1/${CLIENT_TOKEN_SHOWN}`);
}

/** The text with every occurrence of the token replaced, for log lines and summaries. */
export function hideClientToken(text: string, token: string | undefined): string {
  return token ? text.replaceAll(token, CLIENT_TOKEN_SHOWN) : text;
}
