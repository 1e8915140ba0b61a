import { createRequire as __goproxyCreateRequire } from 'node:module'; const require = __goproxyCreateRequire(import.meta.url);
import {
  noteMarker
} from "./chunk-5J64LHN7.js";
import "./chunk-UOOPJVRV.js";

// src/gitlab/health-mr-note.ts
var mrNoteTokenVariable = "GOPROXY_HEALTH_GITLAB_TOKEN";
var maxNoteLength = 99e4;
function mrNoteTarget(env) {
  const iid = env.CI_MERGE_REQUEST_IID;
  if (!iid)
    return {
      notice: "health: not a merge request pipeline (no CI_MERGE_REQUEST_IID): no merge request note"
    };
  const token = env[mrNoteTokenVariable];
  if (!token) {
    return {
      notice: env.CI_JOB_TOKEN ? `health: no merge request note: the job token (CI_JOB_TOKEN) cannot write notes; set a masked CI/CD variable ${mrNoteTokenVariable} to a project access token with the api scope` : `health: no merge request note: set a masked CI/CD variable ${mrNoteTokenVariable} to a project access token with the api scope`
    };
  }
  const host = env.CI_SERVER_URL;
  const projectId = env.CI_MERGE_REQUEST_PROJECT_ID || env.CI_PROJECT_ID;
  if (!host || !projectId || !/^[0-9]+$/.test(iid)) {
    return {
      notice: "health: no merge request note: CI_SERVER_URL, CI_PROJECT_ID or CI_MERGE_REQUEST_IID is missing or malformed"
    };
  }
  return { target: { apiHost: host.replace(/\/+$/, ""), projectId, mrIid: Number(iid), token } };
}
function noteBody(markdown) {
  const body = markdown.startsWith(noteMarker) ? markdown : `${noteMarker}
${markdown}`;
  if (body.length <= maxNoteLength) return body;
  return `${body.slice(0, maxNoteLength)}

_(report truncated: see the job's health.json artifact)_
`;
}
async function upsertMrNote(target, markdown) {
  const { Gitlab } = await import("./dist-2XTFQJFT.js");
  const api = new Gitlab({ host: target.apiHost, token: target.token });
  const body = noteBody(markdown);
  const notes = await api.MergeRequestNotes.all(target.projectId, target.mrIid, {
    sort: "asc",
    orderBy: "created_at",
    perPage: 100
  });
  const ours = notes.find((n) => !n.system && typeof n.body === "string" && n.body.startsWith(noteMarker));
  if (ours) {
    await api.MergeRequestNotes.edit(target.projectId, target.mrIid, ours.id, { body });
    return { action: "updated", noteId: ours.id };
  }
  const created = await api.MergeRequestNotes.create(target.projectId, target.mrIid, body);
  return { action: "created", noteId: created.id };
}
export {
  mrNoteTarget,
  mrNoteTokenVariable,
  noteBody,
  upsertMrNote
};
