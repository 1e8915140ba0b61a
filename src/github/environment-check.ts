// The environment lint, run at setup against the environment the job's go command will see
// once our exports are in place: findings become annotations, and error-level ones fail the
// step (their severities are set in the policy's `lint:` section). Module decisions are left to
// the proxy, which refuses a denied module when it is fetched, and to `goproxy-action check`.
import { effectiveGoEnv } from '../policy/effective-go-env.ts';
import { loadPolicy } from '../policy/load-policy.ts';
import { type CheckReport, checkWorkspace } from '../policy/workspace-check.ts';

export async function checkJobEnvironment(options: {
  workspace: string;
  policyFile: string;
  env: NodeJS.ProcessEnv;
  exported: Record<string, string>;
}): Promise<CheckReport> {
  const loaded = await loadPolicy({
    explicitPath: options.policyFile || undefined,
    workspace: options.workspace,
  });
  const goEnv = await effectiveGoEnv(options.env);
  const report = await checkWorkspace({
    dir: options.workspace,
    policy: loaded.policy,
    env: { ...goEnv, ...options.exported },
  });
  const findings = report.findings.filter((f) => f.check !== 'policy');
  return {
    ...report,
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warn').length,
  };
}
