// Runs this project's GitLab components for real, under gitlab-ci-local (shell executor,
// --shell-isolation): a temporary git repository holding a copy of the project's tracked files,
// its `origin` a GitLab-style URL, so that `include: component:` of `<group>/<project>/<name>@<HEAD
// SHA>` resolves to the templates in the repository itself (the only form gitlab-ci-local
// resolves without a GitLab server).
import { execFile, spawn } from 'node:child_process';
import { copyFile, cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { makeTempDir } from './go-env.ts';

const execFileAsync = promisify(execFile);

/** This project's root (the working tree the tests run in). */
export const projectRoot = join(import.meta.dirname, '..', '..');

const gitlabCiLocal = join(projectRoot, 'node_modules', '.bin', 'gitlab-ci-local');

export const componentGroup = 'acme';
export const componentProject = 'goproxy-action';
const originUrl = `https://gitlab.example.com/${componentGroup}/${componentProject}.git`;

const gitIdentity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export type GclRun = { code: number; output: string; stdout: string };

export type ComponentProject = {
  /** The temporary repository (gitlab-ci-local's cwd). */
  dir: string;
  /** `$CI_SERVER_FQDN/<group>/<project>/<name>@<sha>`: what a pipeline includes. */
  componentRef(name: string, sha: string): string;
  /** Writes a file into the repository (committed by the next commit()). */
  writeFile(relativePath: string, content: string): Promise<void>;
  /** Commits everything but the pipeline file and gitlab-ci-local's state; returns HEAD's SHA. */
  commit(message: string): Promise<string>;
  /** Writes .gitlab-ci.yml (left untracked, so writing it does not move HEAD). */
  writePipeline(yaml: string): Promise<void>;
  /** The configuration gitlab-ci-local renders (includes, inputs and `extends` resolved). */
  preview(): Promise<Record<string, Record<string, unknown>>>;
  /** `gitlab-ci-local --shell-isolation ...`; never throws on a failing pipeline. */
  run(args: string[], options?: { timeoutMs?: number }): Promise<GclRun>;
  remove(): Promise<void>;
};

async function git(args: string[], cwd: string): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: { ...gitEnv(), ...gitIdentity },
    maxBuffer: 64 << 20,
  });
  return stdout;
}

/** git without the user's or the machine's configuration. */
function gitEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

/**
 * Bundles the CLI from the current working tree (scripts/build.ts, run where `src` is this
 * tree's) and returns the path of the bundle.
 */
export async function buildCliFromWorkingTree(): Promise<string> {
  const scratch = makeTempDir('cli-build');
  await symlink(join(projectRoot, 'src'), join(scratch, 'src'));
  await symlink(join(projectRoot, 'node_modules'), join(scratch, 'node_modules'));
  await execFileAsync(process.execPath, [join(projectRoot, 'scripts', 'build.ts')], { cwd: scratch });
  return join(scratch, 'dist', 'cli.js');
}

/**
 * A temporary repository with a copy of the project's tracked files (as they are in the working
 * tree) and, when `cliBundle` is given, that bundle's build directory as dist/.
 */
export async function createComponentProject(
  options: { cliBundle?: string } = {},
): Promise<ComponentProject> {
  const dir = makeTempDir('gcl-project');
  const tracked = (await git(['ls-files', '-z'], projectRoot)).split('\0').filter((f) => f !== '');
  for (const file of tracked) {
    const target = join(dir, file);
    await mkdir(dirname(target), { recursive: true });
    try {
      await copyFile(join(projectRoot, file), target);
    } catch (err) {
      // A tracked file deleted in the working tree is not part of the current tree.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  if (options.cliBundle) {
    // The bundle is cli.js plus the chunks it loads on demand: the whole build directory.
    await rm(join(dir, 'dist'), { recursive: true, force: true });
    await cp(dirname(options.cliBundle), join(dir, 'dist'), { recursive: true });
  }
  // Neither the pipeline file nor gitlab-ci-local's state belongs to the commit the pipeline
  // includes its component from.
  await git(['init', '-q', '-b', 'main'], dir);
  await writeFile(join(dir, '.git', 'info', 'exclude'), '/.gitlab-ci.yml\n/.gitlab-ci-local/\n');
  await git(['remote', 'add', 'origin', originUrl], dir);
  // gitlab-ci-local reads the committer from the repository's config.
  await git(['config', 'user.email', gitIdentity.GIT_AUTHOR_EMAIL], dir);
  await git(['config', 'user.name', gitIdentity.GIT_AUTHOR_NAME], dir);

  const commit = async (message: string): Promise<string> => {
    await git(['add', '-A', '-f', '--', '.', ':!.gitlab-ci.yml', ':!.gitlab-ci-local'], dir);
    await git(['commit', '-q', '--allow-empty', '-m', message], dir);
    const sha = (await git(['rev-parse', 'HEAD'], dir)).trim();
    // The default branch, as a clone would know it (gitlab-ci-local reads origin/HEAD).
    await git(['update-ref', 'refs/remotes/origin/main', sha], dir);
    await git(['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main'], dir);
    return sha;
  };

  const gclEnv = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // gitlab-ci-local reads ~/.gitlab-ci-local/variables.yml: not the machine's.
    HOME: makeTempDir('gcl-home'),
    NO_COLOR: '1',
    ...gitIdentity,
  });

  const run = (args: string[], runOptions: { timeoutMs?: number } = {}): Promise<GclRun> =>
    new Promise((resolve, reject) => {
      const child = spawn(gitlabCiLocal, ['--no-color', ...args], {
        cwd: dir,
        env: gclEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        stdout += chunk.toString('utf8');
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), runOptions.timeoutMs ?? 180_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 1, output, stdout });
      });
    });

  return {
    dir,
    componentRef: (name, sha) => `$CI_SERVER_FQDN/${componentGroup}/${componentProject}/${name}@${sha}`,
    writeFile: async (relativePath, content) => {
      const target = join(dir, relativePath);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    },
    commit,
    writePipeline: (yaml) => writeFile(join(dir, '.gitlab-ci.yml'), yaml),
    preview: async () => {
      const result = await run(['--preview']);
      if (result.code !== 0) throw new Error(`gitlab-ci-local --preview failed:\n${result.output}`);
      return parseYaml(result.stdout) as Record<string, Record<string, unknown>>;
    },
    run: (args, runOptions) => run(['--shell-isolation', ...args], runOptions),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * A rendered job's variables as the job's shell gets them: `--preview` writes a literal `$`
 * (an `expand: false` value, or `$$` in the pipeline) as `$$`.
 */
export function jobEnvFromPreview(variables: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name, String(value).replaceAll('$$', '$')]),
  );
}
