// An in-process checksum database for tests: a real transparency log (record hashes, full and
// partial tiles, data tiles, signed tree heads) that the real go command accepts through
// GOSUMDB="<vkey> <url>" (the vkey starts with the name), and that can be mounted under another server's /sumdb/<name>/.
// Records are appended with add(); every answer reflects the tree as it is at that moment.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unescapePath, unescapeVersion } from '../../src/gomod/module-path.ts';
import { generateSignerKey, parseSignerKey, signNote } from '../../src/sumdb/note.ts';
import {
  DATA_LEVEL,
  formatRecord,
  formatTree,
  type Hash,
  nodeHash,
  parseTilePath,
  recordHash,
  TILE_HEIGHT,
  treeHash,
} from '../../src/sumdb/tlog.ts';

export type SumdbAnswer = { status: number; body: Uint8Array; contentType: string };

export type FixtureSumdb = {
  name: string;
  vkey: string;
  /** The signer key, so a test can build a second, diverging log signed by the same key. */
  skey: string;
  /** `<vkey> <url>`: a GOSUMDB value pointing the go command straight at this database. */
  gosumdb: string;
  /** http://127.0.0.1:<port>, serving the database at its root. */
  url: string;
  /** Appends one record per module version in these go.sum lines (a go.sum text works too). */
  add(goSumLines: readonly string[] | string): void;
  /** Answers a path relative to the database root (`latest`, `lookup/...`, `tile/...`, `supported`). */
  handle(subpath: string): Promise<SumdbAnswer>;
  /** The SumdbClient fetch contract over handle(): body on 200, null on 404/410, throws otherwise. */
  fetch(subpath: string): Promise<Uint8Array | null>;
  /** Every subpath asked, through the server or handle(), in order. */
  requests: string[];
  /** Records in the log now. */
  readonly size: number;
  /** The signed tree head for the current size. */
  signedTree(): string;
  close(): Promise<void>;
};

const textPlain = 'text/plain; charset=utf-8';

function text(status: number, message: string): SumdbAnswer {
  return { status, body: Buffer.from(`${message}\n`), contentType: textPlain };
}

const goSumLinePattern = /^(\S+) (\S+?)(\/go\.mod)? (\S+:\S+)$/;

/** Groups go.sum lines into record texts per module version: the zip line, then the go.mod line. */
function recordsOf(lines: readonly string[]): { key: string; text: string }[] {
  const groups = new Map<string, { zip?: string; mod?: string }>();
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    const match = goSumLinePattern.exec(line);
    if (match === null) throw new Error(`fixture sumdb: ${JSON.stringify(line)} is not a go.sum line`);
    const [, path, version, goMod] = match;
    const key = `${path}@${version}`;
    const group = groups.get(key) ?? {};
    if (goMod ? group.mod : group.zip)
      throw new Error(`fixture sumdb: ${JSON.stringify(line)} is given twice`);
    if (goMod) group.mod = line;
    else group.zip = line;
    groups.set(key, group);
  }
  return [...groups].map(([key, group]) => ({
    key,
    text: [group.zip, group.mod].filter((l) => l !== undefined).join('\n') + '\n',
  }));
}

export async function createFixtureSumdb(
  name = `sumdb-${randomBytes(4).toString('hex')}.fixture.test`,
  options: { skey?: string } = {},
): Promise<FixtureSumdb> {
  const skey = options.skey ?? generateSignerKey(name).skey;
  const signer = parseSignerKey(skey);
  if (signer.name !== name) throw new Error(`fixture sumdb: signer key is for ${signer.name}, not ${name}`);
  const vkey = signer.vkey;

  const records: string[] = [];
  const ids = new Map<string, number>();
  // levels[l][k]: hash of the complete subtree over records [k * 2^l, (k+1) * 2^l).
  const levels: Hash[][] = [[]];
  const signedBySize = new Map<number, string>();
  const requests: string[] = [];

  function append(textOfRecord: string): void {
    const id = records.length;
    records.push(textOfRecord);
    let hash = recordHash(textOfRecord);
    let index = id;
    for (let level = 0; ; level++) {
      const row = levels[level] ?? [];
      levels[level] = row;
      row[index] = hash;
      if (index % 2 === 0) break;
      hash = nodeHash(row[index - 1] as Hash, hash);
      index = (index - 1) / 2;
    }
  }

  function signedTree(): string {
    const size = records.length;
    let signed = signedBySize.get(size);
    if (signed === undefined) {
      const hash = size === 0 ? recordHash('') : treeHash(size, (l, k) => levels[l]?.[k] as Hash);
      // An empty log has no root; Go's server signs the SHA-256 of nothing, any fixed value does.
      signed = signNote(formatTree({ size, hash }), signer);
      signedBySize.set(size, signed);
    }
    return signed;
  }

  function lookup(rest: string): SumdbAnswer {
    const at = rest.indexOf('@');
    if (at < 0) return text(400, 'invalid module@version syntax');
    let key: string;
    try {
      key = `${unescapePath(rest.slice(0, at))}@${unescapeVersion(rest.slice(at + 1))}`;
    } catch (error) {
      return text(400, (error as Error).message);
    }
    const id = ids.get(key);
    if (id === undefined) return text(404, `not found: ${key} is not in this fixture database`);
    return {
      status: 200,
      body: Buffer.from(formatRecord(id, records[id] as string) + signedTree()),
      contentType: textPlain,
    };
  }

  function tile(path: string): SumdbAnswer {
    const t = parseTilePath(path);
    if (t === null) return text(400, 'invalid tile syntax');
    if (t.height !== TILE_HEIGHT) return text(404, `this database has tiles of height ${TILE_HEIGHT} only`);
    const first = t.index * 2 ** t.height;
    if (t.level === DATA_LEVEL) {
      if (first + t.width > records.length) return text(404, 'tile not found');
      let data = '';
      for (let id = first; id < first + t.width; id++) data += formatRecord(id, records[id] as string);
      return { status: 200, body: Buffer.from(data), contentType: textPlain };
    }
    const row = levels[t.level * t.height] ?? [];
    if (first + t.width > row.length) return text(404, 'tile not found');
    const body = Buffer.concat(row.slice(first, first + t.width));
    return { status: 200, body, contentType: 'application/octet-stream' };
  }

  async function handle(subpath: string): Promise<SumdbAnswer> {
    const path = subpath.replace(/^\/+/, '');
    requests.push(path);
    if (path === 'supported') return { status: 200, body: new Uint8Array(), contentType: textPlain };
    if (path === 'latest') return { status: 200, body: Buffer.from(signedTree()), contentType: textPlain };
    if (path.startsWith('lookup/')) return lookup(path.slice('lookup/'.length));
    if (path.startsWith('tile/')) return tile(path);
    return text(404, 'not found');
  }

  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] as string;
    const answer =
      req.method === 'GET' || req.method === 'HEAD'
        ? handle(decodeURIComponent(pathname))
        : Promise.resolve(text(405, 'method not allowed'));
    answer.then(
      (a) => {
        res.writeHead(a.status, { 'Content-Type': a.contentType, 'Content-Length': a.body.length });
        res.end(req.method === 'HEAD' ? undefined : a.body);
      },
      (error: Error) => {
        res.writeHead(500, { 'Content-Type': textPlain });
        res.end(`${error.message}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    name,
    vkey,
    skey,
    gosumdb: `${vkey} ${url}`,
    url,
    add(goSumLines) {
      const lines = typeof goSumLines === 'string' ? goSumLines.split('\n') : goSumLines;
      const fresh = recordsOf(lines);
      for (const { key } of fresh) {
        if (ids.has(key))
          throw new Error(`fixture sumdb: ${key} is already in the database (a log only grows)`);
      }
      for (const { key, text: recordText } of fresh) {
        ids.set(key, records.length);
        append(recordText);
      }
    },
    handle,
    async fetch(subpath) {
      const answer = await handle(subpath);
      if (answer.status === 200) return answer.body;
      if (answer.status === 404 || answer.status === 410) return null;
      throw new Error(
        `fixture sumdb ${subpath}: ${answer.status} ${Buffer.from(answer.body).toString().trim()}`,
      );
    },
    requests,
    get size() {
      return records.length;
    },
    signedTree,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
