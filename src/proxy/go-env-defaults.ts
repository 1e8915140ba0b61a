// The machine's Go settings, read from `go env` at run time (defaults come from
// $GOROOT/go.env, the user's go env file and the environment): never hard-coded hosts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type GoEnvDefaults = {
  GOPROXY: string;
  GOSUMDB: string;
  GOPRIVATE: string;
  GONOPROXY: string;
  GONOSUMDB: string;
};

export async function readGoEnv(
  goBinary = 'go',
  env: NodeJS.ProcessEnv = process.env,
): Promise<GoEnvDefaults> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      goBinary,
      ['env', '-json', 'GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB'],
      {
        env,
      },
    ));
  } catch (err) {
    throw new Error(
      `could not run '${goBinary} env' to read GOPROXY/GOSUMDB (${(err as Error).message.split('\n')[0]}): install Go or pass --upstream and --gosumdb`,
    );
  }
  const parsed = JSON.parse(stdout) as Partial<GoEnvDefaults>;
  return {
    GOPROXY: parsed.GOPROXY ?? '',
    GOSUMDB: parsed.GOSUMDB ?? '',
    GOPRIVATE: parsed.GOPRIVATE ?? '',
    GONOPROXY: parsed.GONOPROXY ?? '',
    GONOSUMDB: parsed.GONOSUMDB ?? '',
  };
}
