// Where `serve` takes its upstream list from: --upstream LIST (visible to every process on
// the machine, in /proc/<pid>/cmdline), --upstream-env NAME (the list is read from that
// environment variable, so credentials in it stay off the command line), else GOPROXY as
// `go env` reports it (which reads the environment too).
import { GoproxyListError, parseGoproxyList } from './goproxy-list.ts';
import { redactUrlUserinfo } from './redact-secrets.ts';

export type UpstreamOption = {
  /** The GOPROXY-syntax list, credentials included: pass it to createProxy, never print it. */
  upstream: string;
  /** The same list with userinfo redacted (`user:xxxxx@`): for banners and logs. */
  shown: string;
  /** Set when credentials were given on the command line, where other processes can read them. */
  warning: string | null;
};

/**
 * Resolves the serve options into the upstream list and validates it as the go command would
 * (credentials over plain http are refused). Throws a GoproxyListError with a one-line,
 * redacted message for anything wrong.
 */
export function resolveUpstreamOption(options: {
  upstream?: string | undefined;
  upstreamEnv?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** GOPROXY from `go env`, the default. */
  goproxy?: string | undefined;
}): UpstreamOption {
  if (options.upstream !== undefined && options.upstreamEnv !== undefined) {
    throw new GoproxyListError('give --upstream or --upstream-env, not both');
  }
  let upstream: string;
  let where: string;
  if (options.upstreamEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.upstreamEnv))
      throw new GoproxyListError(`--upstream-env ${options.upstreamEnv}: not an environment variable name`);
    upstream = (options.env[options.upstreamEnv] ?? '').trim();
    if (upstream === '')
      throw new GoproxyListError(
        `--upstream-env ${options.upstreamEnv}: the variable is unset or empty; export it with the upstream list (GOPROXY syntax)`,
      );
    where = `--upstream-env ${options.upstreamEnv}`;
  } else if (options.upstream !== undefined) {
    upstream = options.upstream;
    where = '--upstream';
  } else {
    upstream = options.goproxy ?? '';
    if (upstream === '')
      throw new GoproxyListError(
        'no upstream: go env GOPROXY is empty; pass --upstream LIST or --upstream-env NAME',
      );
    where = 'GOPROXY';
  }
  let entries: ReturnType<typeof parseGoproxyList>;
  try {
    entries = parseGoproxyList(upstream);
  } catch (err) {
    throw new GoproxyListError(`${where}: ${(err as Error).message}`);
  }
  const onCommandLine = where === '--upstream' && entries.some((e) => e.kind === 'url' && e.credentials);
  return {
    upstream,
    shown: redactUrlUserinfo(upstream),
    warning: onCommandLine
      ? '--upstream holds credentials, which any process on this machine can read from the command line; pass the list with --upstream-env NAME instead'
      : null,
  };
}
