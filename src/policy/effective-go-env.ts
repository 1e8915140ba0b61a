// The environment the go command will use, for the environment lint.
import { readGoEnv } from '../gomod/read-go-env.ts';

// Variables the environment lint reads. Those the go command knows are read through `go env`,
// which also sees the user's go env file; GONOSUMCHECK is no Go variable, so only the process has it.
const goVariables = ['GOPROXY', 'GOSUMDB', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE', 'GOFLAGS'];

/** The environment the go command will use: `go env` when go is installed, else the process's own. */
export async function effectiveGoEnv(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = await readGoEnv(goVariables, {
    env,
    whenGoMissing: 'environment',
  });
  out.GONOSUMCHECK = env.GONOSUMCHECK;
  return out;
}
