// Verification of a blob that has no go.sum line when GOSUMDB names a database without its
// key (the usual `go env GOSUMDB`): the go command has the default database's key built in,
// so it is handed the fetched files through a throwaway file:// proxy and asked to download
// them. It checks them against the database (whose traffic goes through our own proxy's
// sumdb pass-through, the second GOPROXY entry) exactly as it would in the build.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapePath, escapeVersion } from '../gomod/module-path.ts';
import { redactSecrets, secretValuesFrom } from '../upstream/redact-secrets.ts';
import type { BlobFiles, BlobKind, GoCommandCheck } from './blob-verifier.ts';

export type GoCommandCheckOptions = {
  goBinary: string;
  gosumdb: string;
  /** Our own proxy's URL (known once listening), for the checksum database traffic. */
  selfUrl: () => string;
  env: NodeJS.ProcessEnv;
};

export function goCommandSumdbCheck(options: GoCommandCheckOptions): GoCommandCheck {
  const secrets = secretValuesFrom(options.env);
  return async (module: string, version: string, kind: BlobKind, files: BlobFiles) => {
    const work = await mkdtemp(join(tmpdir(), 'goproxy-action-verify-'));
    try {
      const dir = join(work, 'proxy', escapePath(module), '@v');
      await mkdir(dir, { recursive: true });
      const base = join(dir, escapeVersion(version));
      await writeFile(`${base}.info`, files.info);
      await writeFile(`${base}.mod`, files.mod);
      if (kind === 'zip' && files.zipPath) await copyFile(files.zipPath, `${base}.zip`);
      const args =
        kind === 'zip'
          ? ['mod', 'download', '-json', `${module}@${version}`]
          : ['list', '-m', '-json', `${module}@${version}`];
      const env: NodeJS.ProcessEnv = {
        ...options.env,
        GOPROXY: `${pathToFileURL(join(work, 'proxy')).href},${options.selfUrl()}`,
        GOSUMDB: options.gosumdb,
        GONOSUMDB: '',
        GONOSUMCHECK: '',
        GOPRIVATE: '',
        GONOPROXY: '',
        GOINSECURE: '',
        GOMODCACHE: join(work, 'modcache'),
        GOPATH: join(work, 'gopath'),
        GOFLAGS: '-modcacherw',
        GOWORK: 'off',
        GO111MODULE: 'on',
        GOTOOLCHAIN: 'local',
      };
      return await new Promise((resolve) => {
        execFile(options.goBinary, args, { cwd: work, env, timeout: 120_000 }, (err, stdout, stderr) => {
          let error = '';
          try {
            const parsed = JSON.parse(stdout) as { Error?: string | { Err?: string } };
            error = typeof parsed.Error === 'string' ? parsed.Error : (parsed.Error?.Err ?? '');
          } catch {
            error = err ? stderr || err.message : '';
          }
          if (!error && err) error = stderr || err.message;
          resolve({ ok: error === '', message: redactSecrets(error.trim(), secrets) });
        });
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  };
}
