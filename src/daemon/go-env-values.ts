// Reads the go command's effective settings (`go env -json`), so defaults such as the module
// proxy list and the checksum database come from the installed toolchain, never from us.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function readGoEnv(
  names: string[],
  env: NodeJS.ProcessEnv = process.env,
  goBinary = 'go',
): Promise<Record<string, string>> {
  let stdout: string;
  try {
    ({ stdout } = await run(goBinary, ['env', '-json', ...names], { env, maxBuffer: 1 << 20 }));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new Error(
      `could not run '${goBinary} env' (${detail.split('\n')[0]}); install Go first (e.g. actions/setup-go) so the go command is on PATH`,
    );
  }
  const parsed = JSON.parse(stdout) as Record<string, string>;
  const values: Record<string, string> = {};
  for (const name of names) values[name] = parsed[name] ?? '';
  return values;
}
