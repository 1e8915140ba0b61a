// GitLab projects as a prewarm source: the go.sum of every project in a group (subgroups
// optional) or of listed project IDs, at each project's default branch or a given ref, read
// through the GitLab API with @gitbeaker/rest. Archived projects are skipped (nobody builds
// them); a project without a go.sum is noted, not an error.
import { Gitlab } from '@gitbeaker/rest';
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
  /** The go.sum path in each project (default go.sum at the root). */
  goSumPath?: string;
};

export type GitlabProjectNote = {
  project: string;
  ref: string | null;
  outcome: 'read' | 'no-go-sum' | 'archived' | 'empty';
};

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
  const notes: GitlabProjectNote[] = [];
  const seen = new Set<number>();
  const goSumPath = options.goSumPath ?? 'go.sum';
  for (const project of [...projects].sort((a, b) => a.id - b.id)) {
    if (seen.has(project.id)) continue;
    seen.add(project.id);
    const name = project.path_with_namespace;
    if (project.archived) {
      notes.push({ project: name, ref: null, outcome: 'archived' });
      continue;
    }
    const ref = options.ref ?? project.default_branch ?? null;
    if (!ref) {
      notes.push({ project: name, ref: null, outcome: 'empty' });
      continue;
    }
    let text: string;
    try {
      const raw = await api.RepositoryFiles.showRaw(project.id, goSumPath, ref);
      text = typeof raw === 'string' ? raw : await (raw as Blob).text();
    } catch (error) {
      if (statusOf(error) === 404) {
        notes.push({ project: name, ref, outcome: 'no-go-sum' });
        continue;
      }
      throw new Error(`GitLab: cannot read ${goSumPath} of ${name} at ${ref}: ${(error as Error).message}`);
    }
    addGoSum(plan, text, `gitlab:${name}@${ref}/${goSumPath}`);
    notes.push({ project: name, ref, outcome: 'read' });
  }
  return notes;
}
