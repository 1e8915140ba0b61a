// Which policy file is in force (an explicit one must exist; the default may be absent) and
// loading it. Kept apart from the parser so that commands without a policy never load yaml/ajv.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Policy } from './policy.ts';

export const defaultPolicyFile = '.goproxy.yml';

export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
  /** Each problem as `file:line:column: message`. */
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

export type LoadedPolicy = { policy: Policy | null; source: string | null; message?: string };

/**
 * The policy in force: `explicitPath` (resolved against the workspace when relative) must
 * exist; otherwise `<workspace>/.goproxy.yml` is used when present, and its absence means no
 * policy, which `message` says once for the log.
 */
export async function loadPolicy(options: {
  explicitPath?: string;
  workspace: string;
}): Promise<LoadedPolicy> {
  const workspace = resolve(options.workspace);
  const display = (file: string): string => {
    const rel = relative(workspace, file);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  };
  let file: string;
  if (options.explicitPath !== undefined && options.explicitPath !== '') {
    file = resolve(workspace, options.explicitPath);
    if (!existsSync(file)) {
      throw new PolicyFileError([
        `${display(file)}: the policy file does not exist; create it (see docs/policy.md) or stop naming it with --policy / the policy-file input`,
      ]);
    }
  } else {
    file = resolve(workspace, defaultPolicyFile);
    if (!existsSync(file)) {
      const yamlSpelling = resolve(workspace, '.goproxy.yaml');
      const note = existsSync(yamlSpelling)
        ? `; found .goproxy.yaml, which is not read: rename it to ${defaultPolicyFile}`
        : '';
      return {
        policy: null,
        source: null,
        message: `no policy: ${display(file)} does not exist, so every module is allowed${note}`,
      };
    }
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new PolicyFileError([
      `${display(file)}: cannot read the policy file (${reason}); check its permissions`,
    ]);
  }
  const source = display(file);
  // The parser (yaml, ajv) loads only when there is a policy to parse: start-up time.
  const { parsePolicyText } = await import('./policy-file.ts');
  const policy = parsePolicyText(text, source);
  return { policy, source, message: `policy: ${source}` };
}
