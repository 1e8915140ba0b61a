// The health report as ONE merge-request note: created on the first run, edited on re-runs
// (found by the hidden marker at its top), through the GitLab API with a project access token.
// The job token cannot write notes, so with only that a notice says why no note was written.
import { noteMarker } from '../health/render-markdown.ts';

/** The CI/CD variable holding a project access token (api scope, Reporter or higher). */
export const mrNoteTokenVariable = 'GOPROXY_HEALTH_GITLAB_TOKEN';

// GitLab refuses notes over 1,000,000 characters; leave room for the truncation line.
const maxNoteLength = 990_000;

export type MrNoteTarget = { apiHost: string; projectId: string; mrIid: number; token: string };

/** Where the note goes, or a notice saying why there is none (not an MR pipeline, no token). */
export function mrNoteTarget(env: NodeJS.ProcessEnv): { target: MrNoteTarget } | { notice: string } {
  const iid = env.CI_MERGE_REQUEST_IID;
  if (!iid)
    return {
      notice: 'health: not a merge request pipeline (no CI_MERGE_REQUEST_IID): no merge request note',
    };
  const token = env[mrNoteTokenVariable];
  if (!token) {
    return {
      notice: env.CI_JOB_TOKEN
        ? `health: no merge request note: the job token (CI_JOB_TOKEN) cannot write notes; set a masked CI/CD variable ${mrNoteTokenVariable} to a project access token with the api scope`
        : `health: no merge request note: set a masked CI/CD variable ${mrNoteTokenVariable} to a project access token with the api scope`,
    };
  }
  const host = env.CI_SERVER_URL;
  const projectId = env.CI_MERGE_REQUEST_PROJECT_ID || env.CI_PROJECT_ID;
  if (!host || !projectId || !/^[0-9]+$/.test(iid)) {
    return {
      notice:
        'health: no merge request note: CI_SERVER_URL, CI_PROJECT_ID or CI_MERGE_REQUEST_IID is missing or malformed',
    };
  }
  return { target: { apiHost: host.replace(/\/+$/, ''), projectId, mrIid: Number(iid), token } };
}

export function noteBody(markdown: string): string {
  const body = markdown.startsWith(noteMarker) ? markdown : `${noteMarker}\n${markdown}`;
  if (body.length <= maxNoteLength) return body;
  return `${body.slice(0, maxNoteLength)}\n\n_(report truncated: see the job's health.json artifact)_\n`;
}

/** Creates the note, or edits ours when a note with the marker exists. */
export async function upsertMrNote(
  target: MrNoteTarget,
  markdown: string,
): Promise<{ action: 'created' | 'updated'; noteId: number }> {
  const { Gitlab } = await import('@gitbeaker/rest');
  const api = new Gitlab({ host: target.apiHost, token: target.token });
  const body = noteBody(markdown);
  const notes = (await api.MergeRequestNotes.all(target.projectId, target.mrIid, {
    sort: 'asc',
    orderBy: 'created_at',
    perPage: 100,
  })) as { id: number; body: string; system?: boolean }[];
  const ours = notes.find((n) => !n.system && typeof n.body === 'string' && n.body.startsWith(noteMarker));
  if (ours) {
    await api.MergeRequestNotes.edit(target.projectId, target.mrIid, ours.id, { body });
    return { action: 'updated', noteId: ours.id };
  }
  const created = (await api.MergeRequestNotes.create(target.projectId, target.mrIid, body)) as {
    id: number;
  };
  return { action: 'created', noteId: created.id };
}
