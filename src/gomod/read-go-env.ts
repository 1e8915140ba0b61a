// The go command's effective settings (`go env -json`: $GOROOT/go.env, the user's go env file
// and the environment), so defaults such as the module proxy list and the checksum database
// come from the installed toolchain, never from us.
import { promisify } from 'node:util';
import { redactUrlUserinfo } from '../upstream/redact-secrets.ts';

export type ReadGoEnvOptions = {
  env?: NodeJS.ProcessEnv;
  goBinary?: string;
  /**
   * Without a go binary (a Node-only service image): 'environment' takes the values from the
   * process environment instead; 'throw' (default) fails with a message saying to install Go.
   */
  whenGoMissing?: 'throw' | 'environment';
};

export async function readGoEnv<Name extends string>(
  names: readonly Name[],
  options: ReadGoEnvOptions = {},
): Promise<Record<Name, string>> {
  const env = options.env ?? process.env;
  const goBinary = options.goBinary ?? 'go';
  const values = {} as Record<Name, string>;
  let stdout: string;
  try {
    // Loaded here, not at start: serve given its go settings (the daemon) runs no command.
    const run = promisify((await import('node:child_process')).execFile);
    ({ stdout } = await run(goBinary, ['env', '-json', ...names], { env, maxBuffer: 1 << 20 }));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && options.whenGoMissing === 'environment') {
      for (const name of names) values[name] = env[name] ?? '';
      return values;
    }
    if (!missing && typeof (err as { stderr?: unknown }).stderr === 'string') {
      // The go command ran and refused its settings (an invalid GOTOOLCHAIN, a bad go env
      // file): say what it said, not "install Go". URL credentials it may echo are redacted.
      const said = redactUrlUserinfo((err as { stderr: string }).stderr)
        .trim()
        .split('\n')
        .slice(0, 3)
        .join('; ');
      throw new Error(
        `'${goBinary} env' failed${said ? `: ${said}` : ` (${(err as Error).message.split('\n')[0]})`}; fix the setting it names (the job's environment or the go env file, GOENV)`,
      );
    }
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(
      `could not run '${goBinary} env' (${detail}); install Go first (e.g. actions/setup-go) so the go command is on PATH`,
    );
  }
  const parsed = JSON.parse(stdout) as Record<string, string>;
  for (const name of names) values[name] = parsed[name] ?? '';
  return values;
}
