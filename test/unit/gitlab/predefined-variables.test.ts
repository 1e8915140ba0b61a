import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobWorkDir, readGitLabJob } from '../../../src/gitlab/predefined-variables.ts';

test('predefined variables: read into one typed record', () => {
  const job = readGitLabJob({
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: '/builds/acme/app',
    CI_JOB_ID: '42',
    CI_JOB_STATUS: 'success',
    CI_COMMIT_REF_SLUG: 'feature-x',
    CI_DEFAULT_BRANCH: 'main',
    CI_COMMIT_REF_PROTECTED: 'false',
    CI_SERVER_FQDN: 'gitlab.example.com',
  });
  assert.deepEqual(job, {
    projectDir: '/builds/acme/app',
    jobId: '42',
    jobStatus: 'success',
    refSlug: 'feature-x',
    defaultBranch: 'main',
    refProtected: false,
    serverFqdn: 'gitlab.example.com',
  });
});

test('predefined variables: outside a GitLab job the error names what is missing', () => {
  assert.throws(
    () => readGitLabJob({ CI_JOB_ID: '1' }),
    /CI_PROJECT_DIR is not set: this runs in a GitLab CI\/CD job/,
  );
  assert.throws(() => readGitLabJob({}), /CI_PROJECT_DIR and CI_JOB_ID are not set/);
});

test('the job directory sits next to the checkout, one per job', () => {
  assert.equal(
    jobWorkDir({ projectDir: '/builds/acme/app', jobId: '42' }),
    '/builds/acme/.goproxy-action-42',
  );
});
