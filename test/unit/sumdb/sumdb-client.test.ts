import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { generateSignerKey } from '../../../src/sumdb/note.ts';
import {
  SumdbClient,
  type SumdbFetch,
  SumdbVerificationError,
  type SumdbVerificationKind,
} from '../../../src/sumdb/sumdb-client.ts';
import { createFixtureSumdb, type FixtureSumdb } from '../../support/fixture-sumdb.ts';

function h1(seed: string): string {
  return `h1:${createHash('sha256').update(seed).digest('base64')}`;
}

function sumLines(path: string, version: string): string[] {
  return [
    `${path} ${version} ${h1(`zip ${path}@${version}`)}`,
    `${path} ${version}/go.mod ${h1(`mod ${path}@${version}`)}`,
  ];
}

function fillers(db: FixtureSumdb, from: number, count: number, prefix = 'filler'): void {
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) lines.push(...sumLines(`example.com/${prefix}/m${i}`, 'v1.0.0'));
  if (lines.length > 0) db.add(lines);
}

async function withDb(fn: (db: FixtureSumdb) => Promise<void>, name?: string, skey?: string): Promise<void> {
  const db = await createFixtureSumdb(name, skey ? { skey } : {});
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

function clientFor(db: FixtureSumdb, fetch: SumdbFetch = db.fetch, key = db.vkey): SumdbClient {
  return new SumdbClient({ name: db.name, key, fetch });
}

async function expectVerificationError(
  promise: Promise<unknown>,
  kind: SumdbVerificationKind,
  message: RegExp,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof SumdbVerificationError, `not a SumdbVerificationError: ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    assert.match(err.message, message);
    return true;
  });
}

test('lookup returns the verified go.sum lines (case-encoded paths, /go.mod suffix, cached)', async () => {
  await withDb(async (db) => {
    const upper = sumLines('example.com/Upper/Lib', 'v1.0.0-RC1');
    const plain = sumLines('example.com/plain', 'v0.1.0');
    db.add(upper);
    fillers(db, 0, 300);
    db.add(plain);
    const client = clientFor(db);
    assert.deepEqual(await client.lookup('example.com/Upper/Lib', 'v1.0.0-RC1'), upper);
    assert.ok(db.requests.includes('lookup/example.com/!upper/!lib@v1.0.0-!r!c1'), db.requests.join('\n'));
    assert.deepEqual(await client.lookup('example.com/plain', 'v0.1.0/go.mod'), plain);
    assert.equal(client.latest?.size, 302);
    assert.equal(client.latest?.note, db.signedTree());
    const asked = db.requests.length;
    assert.deepEqual(await client.lookup('example.com/plain', 'v0.1.0'), plain);
    assert.equal(db.requests.length, asked, 'a verified lookup is answered from memory');
  });
});

test('concurrent lookups share tile fetches and all verify', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 700);
    const client = clientFor(db);
    const picks = [0, 1, 255, 256, 300, 511, 512, 600, 699, 42, 42];
    const results = await Promise.all(picks.map((i) => client.lookup(`example.com/filler/m${i}`, 'v1.0.0')));
    for (const [j, lines] of results.entries()) {
      assert.deepEqual(lines, sumLines(`example.com/filler/m${picks[j]}`, 'v1.0.0'));
    }
    const tiles = db.requests.filter((p) => p.startsWith('tile/'));
    assert.equal(new Set(tiles).size, tiles.length, `a tile was fetched twice: ${tiles.join(' ')}`);
    assert.equal(db.requests.filter((p) => p === 'lookup/example.com/filler/m42@v1.0.0').length, 1);
  });
});

test('a module version the database does not have is not-found', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 3);
    await expectVerificationError(
      clientFor(db).lookup('example.com/missing', 'v1.0.0'),
      'not-found',
      /verifying example\.com\/missing@v1\.0\.0 against checksum database sumdb-.*: the database does not have it/,
    );
  });
});

test('a tampered record fails its inclusion proof', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 20);
    const tampering: SumdbFetch = async (path) => {
      const body = await db.fetch(path);
      if (body === null || !path.startsWith('lookup/')) return body;
      return Buffer.from(Buffer.from(body).toString().replace(/h1:./, 'h1:A'));
    };
    await expectVerificationError(
      clientFor(db, tampering).lookup('example.com/filler/m7', 'v1.0.0'),
      'not-included',
      /example\.com\/filler\/m7@v1\.0\.0 .*record 7 does not match the signed tree/,
    );
  });
});

test('a record claiming another id, or served for another module, does not verify', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 20);
    const renumbered: SumdbFetch = async (path) => {
      const body = await db.fetch(path);
      if (body === null || !path.startsWith('lookup/')) return body;
      return Buffer.from(Buffer.from(body).toString().replace(/^7\n/, '8\n'));
    };
    await expectVerificationError(
      clientFor(db, renumbered).lookup('example.com/filler/m7', 'v1.0.0'),
      'not-included',
      /record 8/,
    );
    const swapped: SumdbFetch = (path) =>
      db.fetch(path === 'lookup/example.com/filler/m7@v1.0.0' ? 'lookup/example.com/filler/m8@v1.0.0' : path);
    await expectVerificationError(
      clientFor(db, swapped).lookup('example.com/filler/m7', 'v1.0.0'),
      'mismatch',
      /record 8, which holds no lines for it/,
    );
  });
});

test('a tampered tile fails the proof, and the bad tile is not kept', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 20);
    let tamper = true;
    const tampering: SumdbFetch = async (path) => {
      const body = await db.fetch(path);
      if (body === null || !tamper || path !== 'tile/8/0/000.p/20') return body;
      const copy = new Uint8Array(body);
      copy[6 * 32] = (copy[6 * 32] as number) ^ 0x80; // record 6: the sibling in record 7's proof
      return copy;
    };
    const client = clientFor(db, tampering);
    await expectVerificationError(
      client.lookup('example.com/filler/m7', 'v1.0.0'),
      'not-included',
      /m7@v1\.0\.0/,
    );
    tamper = false;
    assert.deepEqual(
      await client.lookup('example.com/filler/m7', 'v1.0.0'),
      sumLines('example.com/filler/m7', 'v1.0.0'),
    );
  });
});

test('a tree note signed by another key, or altered, is refused', async () => {
  const name = `sumdb-keys-${process.pid}.fixture.test`;
  await withDb(async (db) => {
    fillers(db, 0, 5);
    const other = generateSignerKey(name);
    await withDb(
      async (impostor) => {
        fillers(impostor, 0, 5);
        await expectVerificationError(
          clientFor(db, impostor.fetch).lookup('example.com/filler/m1', 'v1.0.0'),
          'bad-signature',
          /m1@v1\.0\.0 .*tree note: note is not signed by key sumdb-keys-\d+\.fixture\.test\+[0-9a-f]{8}: it is signed only by/,
        );
      },
      name,
      other.skey,
    );
    const altered: SumdbFetch = async (path) => {
      const body = await db.fetch(path);
      if (body === null || !path.startsWith('lookup/')) return body;
      return Buffer.from(
        Buffer.from(body).toString().replace('go.sum database tree\n5\n', 'go.sum database tree\n4\n'),
      );
    };
    await expectVerificationError(
      clientFor(db, altered).lookup('example.com/filler/m1', 'v1.0.0'),
      'bad-signature',
      /invalid signature by key/,
    );
  }, name);
});

test('a tree inconsistent with one seen earlier is refused (fork, rewrite, shrink)', async () => {
  const name = `sumdb-fork-${process.pid}.fixture.test`;
  await withDb(async (db) => {
    fillers(db, 0, 300);
    let source: SumdbFetch = db.fetch;
    const client = clientFor(db, (path) => source(path));
    await client.lookup('example.com/filler/m3', 'v1.0.0');
    await withDb(
      async (fork) => {
        // The same key signs a log whose record 100 differs, and which then grows past the original.
        fillers(fork, 0, 100);
        fillers(fork, 100, 1, 'forked');
        fillers(fork, 101, 250);
        source = fork.fetch;
        await expectVerificationError(
          client.lookup('example.com/filler/m350', 'v1.0.0'),
          'inconsistent',
          /m350@v1\.0\.0 .*SECURITY ERROR: the signed tree of 300 records is not a prefix of the signed tree of 351 records/,
        );
        assert.equal(client.latest?.size, 300, 'the forked tree was not adopted');
      },
      name,
      db.skey,
    );
    await withDb(
      async (smallerFork) => {
        // A smaller tree that is not a prefix of the one seen: also a fork.
        fillers(smallerFork, 0, 10);
        fillers(smallerFork, 10, 1, 'forked');
        source = smallerFork.fetch;
        await expectVerificationError(
          client.lookup('example.com/filler/m2', 'v1.0.0'),
          'inconsistent',
          /tree of 11 records is not a prefix of the signed tree of 300 records/,
        );
      },
      name,
      db.skey,
    );
  }, name);
});

test('a tree that grows, and an older tree that is a prefix, are both accepted', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 10);
    const oldLookup = await db.fetch('lookup/example.com/filler/m4@v1.0.0');
    const client = clientFor(db, async (path) =>
      path === 'lookup/example.com/filler/m4@v1.0.0' ? oldLookup : db.fetch(path),
    );
    fillers(db, 10, 500);
    assert.deepEqual(
      await client.lookup('example.com/filler/m400', 'v1.0.0'),
      sumLines('example.com/filler/m400', 'v1.0.0'),
    );
    assert.equal(client.latest?.size, 510);
    // A cached answer carrying the tree of 10 records: checked as a prefix of the newest tree.
    assert.deepEqual(
      await client.lookup('example.com/filler/m4', 'v1.0.0'),
      sumLines('example.com/filler/m4', 'v1.0.0'),
    );
    assert.equal(client.latest?.size, 510);
  });
});

test('a partial tile that is gone is read from the full tile', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 100);
    const oldLookup = await db.fetch('lookup/example.com/filler/m50@v1.0.0');
    fillers(db, 100, 200); // tile 0/000 is now complete; a real server drops 000.p/100
    const asked: string[] = [];
    const client = clientFor(db, async (path) => {
      asked.push(path);
      if (path.includes('.p/') && path.startsWith('tile/8/0/000')) return null;
      return path === 'lookup/example.com/filler/m50@v1.0.0' ? oldLookup : db.fetch(path);
    });
    assert.deepEqual(
      await client.lookup('example.com/filler/m50', 'v1.0.0'),
      sumLines('example.com/filler/m50', 'v1.0.0'),
    );
    assert.ok(asked.includes('tile/8/0/000.p/100'), asked.join(' '));
    assert.ok(asked.includes('tile/8/0/000'), asked.join(' '));
  });
});

test('a missing tile is reported as missing-tile', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 300);
    // Record 5's proof needs the hash of records [256, 300): the partial tile 001.p/44.
    const client = clientFor(db, async (path) => (path.startsWith('tile/8/0/001') ? null : db.fetch(path)));
    await expectVerificationError(
      client.lookup('example.com/filler/m5', 'v1.0.0'),
      'missing-tile',
      /m5@v1\.0\.0 .*does not serve tile tile\/8\/0\/001\.p\/44 nor the full tile/,
    );
    const noFullTile = clientFor(db, async (path) => (path === 'tile/8/0/000' ? null : db.fetch(path)));
    await expectVerificationError(
      noFullTile.lookup('example.com/filler/m5', 'v1.0.0'),
      'missing-tile',
      /does not serve tile tile\/8\/0\/000$/,
    );
  });
});

test('malformed answers are malformed; fetch failures are errors naming the path', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 3);
    const garbage = clientFor(db, async () => Buffer.from('<html>hello</html>'));
    await expectVerificationError(
      garbage.lookup('example.com/filler/m1', 'v1.0.0'),
      'malformed',
      /malformed record/,
    );
    const notUtf8 = clientFor(db, async () => Buffer.from([0x31, 0x0a, 0xff, 0x0a, 0x0a]));
    await expectVerificationError(
      notUtf8.lookup('example.com/filler/m1', 'v1.0.0'),
      'malformed',
      /not valid UTF-8/,
    );
    const failing = clientFor(db, async () => {
      throw new Error('502 Bad Gateway');
    });
    await assert.rejects(failing.lookup('example.com/filler/m1', 'v1.0.0'), (err: Error) => {
      assert.ok(!(err instanceof SumdbVerificationError));
      assert.match(
        err.message,
        /checksum database sumdb-.*: fetching lookup\/example\.com\/filler\/m1@v1\.0\.0: 502 Bad Gateway/,
      );
      return true;
    });
  });
});

test('the client refuses a key for another database and a forged remembered tree', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 3);
    assert.throws(
      () => new SumdbClient({ name: 'other.example.test', key: db.vkey, fetch: db.fetch }),
      /the key given is for sumdb-.*; GOSUMDB must name the database its key belongs to/,
    );
    const remembered = db.signedTree();
    const client = new SumdbClient({ name: db.name, key: db.vkey, fetch: db.fetch, latest: remembered });
    assert.equal(client.latest?.size, 3);
    fillers(db, 3, 4);
    assert.deepEqual(await client.refreshLatest(), {
      size: 7,
      hash: client.latest?.hash,
      note: client.latest?.note,
    });
    assert.throws(
      () =>
        new SumdbClient({
          name: db.name,
          key: db.vkey,
          fetch: db.fetch,
          latest: remembered.replace('\n3\n', '\n2\n'),
        }),
      /remembered tree head does not verify/,
    );
    const foreign = generateSignerKey(db.name);
    const impostor = new SumdbClient({
      name: db.name,
      key: foreign.vkey,
      fetch: db.fetch,
    });
    await expectVerificationError(
      impostor.refreshLatest(),
      'bad-signature',
      /^checking the latest tree of checksum database sumdb-.*: tree note: note is not signed by key/,
    );
  });
});

test('property: one client follows a growing log through many sizes, verifying lookups at each', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc
        .uniqueArray(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 8 })
        .map((a) => a.sort((x, y) => x - y)),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 8, maxLength: 8 }),
      async (sizes, picks) => {
        await withDb(async (db) => {
          const client = clientFor(db);
          for (const [step, size] of sizes.entries()) {
            const before = db.size;
            fillers(db, before, size - before);
            // A record new in this tree, so the lookup goes to the database and brings the new tree.
            const i = before + Math.floor((picks[step] as number) * (size - before));
            const lines = await client.lookup(`example.com/filler/m${i}`, 'v1.0.0');
            assert.deepEqual(lines, sumLines(`example.com/filler/m${i}`, 'v1.0.0'));
            assert.equal(client.latest?.size, size);
          }
        });
      },
    ),
    { numRuns: 25 },
  );
});

test('verifiedTile checks one tile against the newest signed tree, refreshing it when the tile reaches beyond', async () => {
  await withDb(async (db) => {
    fillers(db, 0, 300);
    let forgeTile: string | null = null;
    const fetch: SumdbFetch = async (path) => {
      const data = await db.fetch(path);
      if (data === null || path !== forgeTile) return data;
      const bent = new Uint8Array(data);
      bent[0] = (bent[0] as number) ^ 1;
      return bent;
    };
    const client = clientFor(db, fetch);
    const full = { height: 8, level: 0, index: 0, width: 256 };
    assert.deepEqual(await client.verifiedTile(full), await db.fetch('tile/8/0/000'));
    assert.equal(client.latest?.size, 300, 'the latest tree was fetched to check the tile against');
    assert.equal(
      await client.verifiedTile({ ...full, index: 5 }),
      null,
      'a tile the database does not serve',
    );

    // A tile of a bigger tree than the one seen: the client fetches the newer tree first.
    fillers(db, 300, 300);
    const level1 = { height: 8, level: 1, index: 0, width: 2 };
    assert.deepEqual(await client.verifiedTile(level1), await db.fetch('tile/8/1/000.p/2'));
    assert.equal(client.latest?.size, 600);

    for (const [path, tile] of [
      ['tile/8/1/000.p/2', level1],
      ['tile/8/0/002.p/88', { height: 8, level: 0, index: 2, width: 88 }],
      ['tile/8/data/001', { height: 8, level: -1, index: 1, width: 256 }],
    ] as const) {
      forgeTile = path;
      await expectVerificationError(
        client.verifiedTile(tile),
        path.includes('data') ? 'malformed' : 'not-included',
        /does not match the signed tree/,
      );
      forgeTile = null;
      // The forged tile was not kept: the honest one verifies with the same client.
      assert.deepEqual(await client.verifiedTile(tile), await db.fetch(path), path);
    }
  });
});
