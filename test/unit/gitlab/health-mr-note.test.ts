// The health merge-request note against a local stand-in of the GitLab API: created once, then
// edited (found by its marker) on the next run; other notes untouched; the job token alone
// gives a notice instead of a note.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mrNoteTarget, mrNoteTokenVariable, upsertMrNote } from '../../../src/gitlab/health-mr-note.ts';
import { noteMarker } from '../../../src/health/render-markdown.ts';
import { startGitlabApi } from '../../support/gitlab-api.ts';

const token = 'glpat-test-0123456789';

test('the note is created on the first run and edited on the next, other notes untouched', async () => {
  const api = await startGitlabApi({
    token,
    projectId: '42',
    mrIid: 7,
    notes: [
      { id: 1, body: 'added 1 commit', system: true, author: { username: 'dev' } },
      { id: 2, body: 'Looks good to me', system: false, author: { username: 'reviewer' } },
    ],
  });
  try {
    const found = mrNoteTarget({
      CI_MERGE_REQUEST_IID: '7',
      CI_PROJECT_ID: '42',
      CI_SERVER_URL: api.url,
      CI_JOB_TOKEN: 'job-token',
      [mrNoteTokenVariable]: token,
    });
    assert.ok('target' in found);
    const first = await upsertMrNote(found.target, `${noteMarker}\n## Go module health\nrun 1\n`);
    assert.equal(first.action, 'created');
    const second = await upsertMrNote(found.target, `${noteMarker}\n## Go module health\nrun 2\n`);
    assert.deepEqual(second, { action: 'updated', noteId: first.noteId });
    assert.deepEqual(api.refused, []);
    assert.deepEqual(
      api.calls.map((c) => `${c.method} ${c.path}`),
      [
        'GET /api/v4/projects/42/merge_requests/7/notes',
        'POST /api/v4/projects/42/merge_requests/7/notes',
        'GET /api/v4/projects/42/merge_requests/7/notes',
        `PUT /api/v4/projects/42/merge_requests/7/notes/${first.noteId}`,
      ],
    );
    assert.equal(api.calls[0]?.query.sort, 'asc');
    assert.equal(api.calls[0]?.query.order_by, 'created_at');
    assert.deepEqual(api.calls[1]?.body, { body: `${noteMarker}\n## Go module health\nrun 1\n` });
    assert.deepEqual(api.calls[3]?.body, { body: `${noteMarker}\n## Go module health\nrun 2\n` });
    assert.equal(api.notes.length, 3);
    assert.equal(api.notes.find((n) => n.id === 2)?.body, 'Looks good to me');
    assert.equal(api.notes.find((n) => n.id === first.noteId)?.body.endsWith('run 2\n'), true);
  } finally {
    await api.close();
  }
});

test('a wrong token is refused by the API and surfaces as an error without the token', async () => {
  const api = await startGitlabApi({ token, projectId: '42', mrIid: 7 });
  try {
    const target = { apiHost: api.url, projectId: '42', mrIid: 7, token: 'glpat-wrong' };
    await assert.rejects(upsertMrNote(target, 'x'), (err: Error) => !err.message.includes('glpat-wrong'));
    assert.equal(api.refused.length, 1);
    assert.equal(api.notes.length, 0);
  } finally {
    await api.close();
  }
});

test('only the job token, or no merge request: a notice says why no note is written', () => {
  const jobOnly = mrNoteTarget({
    CI_MERGE_REQUEST_IID: '7',
    CI_PROJECT_ID: '42',
    CI_SERVER_URL: 'https://gitlab.example',
    CI_JOB_TOKEN: 'x',
  });
  assert.ok('notice' in jobOnly);
  assert.match(
    jobOnly.notice,
    /the job token \(CI_JOB_TOKEN\) cannot write notes; set a masked CI\/CD variable GOPROXY_HEALTH_GITLAB_TOKEN/,
  );
  const branch = mrNoteTarget({ CI_PROJECT_ID: '42', CI_JOB_TOKEN: 'x' });
  assert.ok('notice' in branch);
  assert.match(branch.notice, /not a merge request pipeline/);
});
