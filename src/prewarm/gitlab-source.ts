// GitLab projects as a prewarm source: the go.sum files of every project in a group (subgroups
// optional) or of listed project IDs, at each project's default branch or a given ref, read
// through the GitLab API with @gitbeaker/rest. A repository can hold several modules (nested
// go.mod/go.sum) and a workspace (go.work.sum): the repository tree is listed (recursive,
// every page) and every go.sum and go.work.sum read, except under vendor/, testdata/ and `.`/`_`
// directories (isWorkspaceModuleFile). Archived projects are skipped (nobody builds them); a project without
// a go.sum, or without the ref asked for, is noted, not an error.
import { Gitlab } from '@gitbeaker/rest';
import { eachLimited } from '../each-limited.ts';
import { isWorkspaceModuleFile } from '../gomod/find-module-files.ts';
import type { WarmPlan } from './warm-plan.ts';
import { addGoSum } from './workspace-source.ts';

export type GitlabSourceOptions = {
  /** The GitLab instance, e.g. $CI_SERVER_URL. */
  url: string;
  token: string;
  group?: string;
  includeSubgroups: boolean;
  projects: string[];
  /** A ref to read instead of each project's default branch. */
  ref?: string;
};

export type GitlabProjectNote = {
  project: string;
  ref: string | null;
  outcome: 'read' | 'no-go-sum' | 'no-ref' | 'archived' | 'empty';
  /** The go.sum / go.work.sum files read, by path in the repository. */
  files: string[];
};

type TreeEntry = { path: string; type: string; name: string };

const sumFileNames = new Set(['go.sum', 'go.work.sum']);

/** The go.sum and go.work.sum files of a recursive tree listing, outside vendor/, testdata/, `.`/`_` dirs (isWorkspaceModuleFile), sorted. */
export function sumFilesOfTree(entries: readonly TreeEntry[]): string[] {
  return entries
    .filter((e) => e.type === 'blob' && sumFileNames.has(e.name))
    .map((e) => e.path)
    .filter(isWorkspaceModuleFile)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

type ProjectLike = {
  id: number;
  path_with_namespace: string;
  default_branch?: string | null;
  archived?: boolean;
};

function statusOf(error: unknown): number | undefined {
  const cause = (error as { cause?: { response?: { status?: number } } }).cause;
  return cause?.response?.status;
}

/** Names the call and the usual fix in a GitLab API error (gitbeaker says only "401 Unauthorized"). */
async function explained<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const status = statusOf(error);
    const hint =
      status === 401
        ? ': the token was refused; give one with the read_api scope'
        : status === 403
          ? ': the token may not read it (it needs read_api, and access to the group or project)'
          : status === 404
            ? ': no such group or project, or the token cannot see it'
            : '';
    throw new Error(`GitLab API: ${what}: ${(error as Error).message}${hint}`);
  }
}

export async function addGitlabProjects(
  plan: WarmPlan,
  options: GitlabSourceOptions,
): Promise<GitlabProjectNote[]> {
  const api = new Gitlab({ host: options.url.replace(/\/+$/, ''), token: options.token });
  const projects: ProjectLike[] = [];
  if (options.group) {
    const group = options.group;
    const listed = (await explained(`listing the projects of group ${group}`, () =>
      api.Groups.allProjects(group, {
        includeSubgroups: options.includeSubgroups,
        archived: false,
        perPage: 100,
      }),
    )) as unknown as ProjectLike[];
    projects.push(...listed);
  }
  for (const id of options.projects) {
    projects.push(
      (await explained(`reading project ${id}`, () => api.Projects.show(id))) as unknown as ProjectLike,
    );
  }
  const unique: ProjectLike[] = [];
  const seen = new Set<number>();
  for (const project of [...projects].sort((a, b) => a.id - b.id)) {
    if (seen.has(project.id)) continue;
    seen.add(project.id);
    unique.push(project);
  }
  // Projects are read a few at a time (each is a tree listing and a file read or more, one round
  // trip each); their go.sum files go into the plan afterwards in project-ID order, so each
  // module's recorded sources do not depend on which answer came first.
  const read: ProjectRead[] = new Array(unique.length);
  let failed = false;
  await eachLimited(
    unique.map((project, at) => ({ project, at })),
    projectsAtOnce,
    async ({ project, at }) => {
      // After one project failed, the others still waiting are not asked for (the run fails).
      if (failed) return;
      try {
        read[at] = await readProject(api, project, options.ref);
      } catch (error) {
        failed = true;
        throw error;
      }
    },
  );
  const notes: GitlabProjectNote[] = [];
  for (const { note, sums } of read) {
    for (const { file, text } of sums) addGoSum(plan, text, `gitlab:${note.project}@${note.ref}/${file}`);
    notes.push(note);
  }
  return notes;
}

/** GitLab projects read at once: a group of hundreds is a few round trips each, not a CPU load. */
const projectsAtOnce = 8;

type ProjectRead = { note: GitlabProjectNote; sums: { file: string; text: string }[] };

async function readProject(
  api: InstanceType<typeof Gitlab>,
  project: ProjectLike,
  refOption: string | undefined,
): Promise<ProjectRead> {
  const name = project.path_with_namespace;
  if (project.archived)
    return { note: { project: name, ref: null, outcome: 'archived', files: [] }, sums: [] };
  const ref = refOption ?? project.default_branch ?? null;
  if (!ref) return { note: { project: name, ref: null, outcome: 'empty', files: [] }, sums: [] };
  let tree: TreeEntry[];
  try {
    // Keyset pages where the instance has them (GitLab 17.1+), numbered pages before: gitbeaker
    // follows the Link header either way.
    tree = (await api.Repositories.allRepositoryTrees(project.id, {
      recursive: true,
      ref,
      perPage: 100,
      pagination: 'keyset',
    })) as unknown as TreeEntry[];
  } catch (error) {
    if (statusOf(error) === 404)
      return { note: { project: name, ref, outcome: 'no-ref', files: [] }, sums: [] };
    throw new Error(`GitLab API: listing the files of ${name} at ${ref}: ${(error as Error).message}`);
  }
  const files = sumFilesOfTree(tree);
  const sums: ProjectRead['sums'] = [];
  for (const file of files) {
    let text: string;
    try {
      const raw = await api.RepositoryFiles.showRaw(project.id, file, ref);
      text = typeof raw === 'string' ? raw : await (raw as Blob).text();
    } catch (error) {
      throw new Error(`GitLab API: reading ${file} of ${name} at ${ref}: ${(error as Error).message}`);
    }
    sums.push({ file, text });
  }
  return { note: { project: name, ref, outcome: files.length > 0 ? 'read' : 'no-go-sum', files }, sums };
}
