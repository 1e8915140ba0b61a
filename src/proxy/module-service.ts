// The module half of the proxy: route -> policy -> store -> upstream -> verify -> store ->
// serve. Immutable blobs (.mod, .zip, canonical .info) come from the store without asking
// upstream; list, @latest and queries are fetched fresh and the stored copy is served only
// when the upstream fails. Nothing unverified is ever stored, and nothing partial is ever
// visible: blobs stream into a temp file that is renamed into place only after verification.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashGoMod } from '../gomod/dirhash.ts';
import { checkModuleZip } from '../gomod/module-zip.ts';
import { isCanonicalVersion } from '../gomod/version.ts';
import { beginAtomicWrite } from '../store/atomic-file.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { StoreWriteError } from '../store/store-write-error.ts';
import type { ChainBody, ModuleRequestKind, UpstreamChain } from '../upstream/upstream-chain.ts';
import { readAll } from '../upstream/upstream-response.ts';
import type { BlobVerifier, Verification } from './blob-verifier.ts';
import { immutableCache, type Reply, shortLivedCache, textReply } from './reply.ts';
import { SingleFlight } from './single-flight.ts';
import type { StaleAnswers } from './stale-answers.ts';

const maxZipBytes = 500 << 20;
const maxModBytes = 16 << 20;
const maxSmallAnswerBytes = 8 << 20;

export type PolicyDecision = { action: 'allow' | 'warn' | 'deny'; rule?: string; reason?: string };

/** What the proxy needs of a loaded policy (src/policy/proxy-policy.ts implements it). */
export type ProxyPolicyHook = {
  beforeUpstream(module: string, version: string | null, kind: ModuleRequestKind): PolicyDecision;
  onNewVersion(input: {
    module: string;
    version: string;
    infoTime: Date | null;
    latestGoModText: string | null;
    now: Date;
  }): PolicyDecision;
  denialText(decision: PolicyDecision): string;
  /** A recorded decision made under other rules, or one whose time-based answer expired. */
  isStale?(recorded: PolicyDecision, now: Date): boolean;
};

export type ModuleServiceOptions = {
  store: BlobStore;
  chain: UpstreamChain;
  verifier: BlobVerifier;
  stale: StaleAnswers;
  policy: ProxyPolicyHook | null;
  /** Called when a blob could not be stored (disk full); the reply still carries the blob. */
  onStored?: (bytes: number) => void;
};

type Fetched = { reply: Reply } | { failure: Reply };

/** Thrown inside a consumer: the body is not acceptable (mismatch, broken zip, truncated). */
class RejectedBlob extends Error {}

export class ModuleService {
  readonly #o: ModuleServiceOptions;
  readonly #flights = new SingleFlight<Fetched>();
  /** Temp files of served-but-unverified blobs, removed a little later or at shutdown. */
  readonly #scratch = new Set<string>();
  /** One directory outside the store for blobs fetched while the store cannot be written. */
  #scratchDir: Promise<string> | null = null;

  constructor(options: ModuleServiceOptions) {
    this.#o = options;
  }

  async handle(kind: ModuleRequestKind, module: string, version: string | null): Promise<Reply> {
    const policy = this.#o.policy;
    if (policy) {
      const decision = policy.beforeUpstream(module, version, kind);
      if (decision.action === 'deny') return this.#denied(decision);
    }
    switch (kind) {
      case 'zip':
        return this.#zip(module, version!);
      case 'mod':
        return this.#mod(module, version!);
      case 'info':
        return isCanonicalVersion(version!)
          ? this.#canonicalInfo(module, version!)
          : this.#query(module, version!);
      case 'list':
      case 'latest':
        return this.#fresh(kind, module);
    }
  }

  /** Waits for every fetch under way (flush, graceful shutdown). */
  async settle(): Promise<void> {
    await this.#flights.settle();
  }

  async close(): Promise<void> {
    await this.settle();
    await Promise.all([...this.#scratch].map((f) => rm(f, { force: true })));
    if (this.#scratchDir) await rm(await this.#scratchDir, { recursive: true, force: true });
  }

  #denied(decision: PolicyDecision): Reply {
    return textReply(403, this.#o.policy!.denialText(decision), {
      denial: { rule: decision.rule ?? 'policy', reason: decision.reason ?? '' },
    });
  }

  async #zip(module: string, version: string): Promise<Reply> {
    const { store } = this.#o;
    const stored = await store.stat(module, version, 'zip');
    if (stored) {
      const recorded = await this.#recordedDecision(module, version);
      if (recorded?.action === 'deny') return this.#denied(recorded);
      store.markUsed(module, version);
      const reply = fileReply(
        store.filePath(module, version, 'zip'),
        stored.size,
        'application/zip',
        'store',
      );
      return { ...reply, body: { ...(reply.body as { file: string; size: number }), immutable: true } };
    }
    const fetched = await this.#flights.run(`zip ${module}@${version}`, () =>
      this.#fetchZip(module, version),
    );
    if ('failure' in fetched) return fetched.failure;
    if (fetched.reply.denial) return fetched.reply;
    store.markUsed(module, version);
    return fetched.reply;
  }

  async #fetchZip(module: string, version: string): Promise<Fetched> {
    const { store, chain, verifier } = this.#o;
    let useStore = true;
    for (;;) {
      let upstreamBytes = 0;
      let outcome: { path: string; size: number; stored: boolean; verification: Verification } | null = null;
      let storeFailed = false;
      const result = await chain.fetchModule({ kind: 'zip', module, version }, async (body) => {
        const pending = useStore ? await this.#beginWrite(module, version) : await this.#beginScratchWrite();
        if (pending === null) {
          storeFailed = true;
          throw new RejectedBlob('store not writable');
        }
        try {
          for await (const chunk of body.body) {
            upstreamBytes += (chunk as Buffer).length;
            if (upstreamBytes > maxZipBytes)
              throw new RejectedBlob(`zip is larger than ${maxZipBytes} bytes`);
            await pending.write(chunk as Buffer);
          }
          if (body.size !== null && upstreamBytes !== body.size) {
            throw new RejectedBlob(`truncated answer: ${upstreamBytes} of ${body.size} bytes`);
          }
          let check: { hash: string; size: number };
          try {
            check = await checkModuleZip(pending.path, module, version);
          } catch (err) {
            throw new RejectedBlob(
              `${module}@${version}.zip is not a valid module zip: ${(err as Error).message}`,
            );
          }
          const verification = await verifier.verify(module, version, 'zip', check.hash, () =>
            this.#filesForGoCheck(module, version, null, pending.path),
          );
          if (verification.status === 'mismatch') throw new RejectedBlob(verification.message);
          if (verification.status === 'unverified' || !useStore) {
            this.#keepScratch(await pending.detach());
            outcome = { path: pending.path, size: upstreamBytes, stored: false, verification };
            return;
          }
          await pending.commit();
          this.#o.onStored?.(upstreamBytes);
          await this.#storeSidecars(module, version, body, check.hash);
          outcome = {
            path: store.filePath(module, version, 'zip'),
            size: upstreamBytes,
            stored: true,
            verification,
          };
        } catch (err) {
          await pending.discard().catch(() => {});
          if (err instanceof StoreWriteError) {
            storeFailed = true;
          }
          throw err;
        }
      });
      if (storeFailed && useStore) {
        // Disk full or read-only store: fetch again into a scratch file and serve without storing.
        useStore = false;
        continue;
      }
      if (!result.ok || outcome === null) {
        return {
          failure: failureReply(result.ok ? 'no answer' : result.message, result.ok ? 502 : result.status),
        };
      }
      const done = outcome as { path: string; size: number; stored: boolean; verification: Verification };
      const reply = fileReply(
        done.path,
        done.size,
        'application/zip',
        result.source === 'direct' ? 'direct' : 'upstream',
      );
      reply.upstreamBytes = upstreamBytes;
      reply.verification = describeVerification(done.verification);
      if (!done.stored) {
        if (done.verification.status === 'unverified') reply.unverified = true;
        else reply.notStored = true;
        reply.headers = { ...reply.headers, 'x-goproxy-action-stored': 'false', 'cache-control': 'no-store' };
      } else if (this.#o.policy) {
        const decision = await this.#decideNewVersion(module, version);
        await store
          .writeMeta(module, version, { verification: reply.verification, decision, decidedAt: new Date() })
          .catch(ignoreStoreWriteError);
        if (decision.action === 'deny') return { reply: this.#denied(decision) };
      } else {
        await store
          .writeMeta(module, version, { verification: reply.verification })
          .catch(ignoreStoreWriteError);
      }
      return { reply };
    }
  }

  async #beginWrite(module: string, version: string) {
    try {
      return await this.#o.store.beginWrite(module, version, 'zip');
    } catch (err) {
      if (err instanceof StoreWriteError) return null;
      throw err;
    }
  }

  /** A direct download brings .info and .mod with the zip: keep them (the .mod verified). */
  async #storeSidecars(module: string, version: string, body: ChainBody, zipHash: string): Promise<void> {
    try {
      await this.#storeSidecarsUnguarded(module, version, body, zipHash);
    } catch (err) {
      // The zip is stored and verified; a full disk only costs the extras (the go command
      // recomputes a missing .ziphash).
      if (!(err instanceof StoreWriteError)) throw err;
    }
  }

  async #storeSidecarsUnguarded(
    module: string,
    version: string,
    body: ChainBody,
    zipHash: string,
  ): Promise<void> {
    const { store, verifier } = this.#o;
    await store.writeFileAtomic(module, version, 'ziphash', Buffer.from(zipHash));
    const direct = body.direct;
    if (!direct) return;
    if (!(await store.stat(module, version, 'mod'))) {
      const v = await verifier.verify(module, version, 'mod', hashGoMod(direct.mod));
      if (v.status === 'verified' || v.status === 'trusted')
        await store.writeFileAtomic(module, version, 'mod', direct.mod);
    }
    if (!(await store.stat(module, version, 'info'))) {
      await store.writeFileAtomic(module, version, 'info', direct.info);
      await store.addVersionToList(module, version);
    }
  }

  async #filesForGoCheck(module: string, version: string, mod: Buffer | null, zipPath: string | null) {
    const info = await this.#canonicalInfo(module, version);
    const modReply = mod ? null : await this.#mod(module, version);
    const modBytes =
      mod ?? (modReply?.status === 200 && Buffer.isBuffer(modReply.body) ? modReply.body : null);
    if (info.status !== 200 || !Buffer.isBuffer(info.body) || !modBytes) return null;
    return { info: info.body, mod: modBytes, zipPath };
  }

  async #recordedDecision(module: string, version: string): Promise<PolicyDecision | null> {
    if (!this.#o.policy) return null;
    const meta = (await this.#o.store.readMeta(module, version)) as { decision?: PolicyDecision } | null;
    if (meta?.decision && !this.#o.policy.isStale?.(meta.decision, new Date())) return meta.decision;
    // Stored before this policy (or seeded, or a min-age wait has passed): decide now and record it.
    const decision = await this.#decideNewVersion(module, version);
    await this.#o.store
      .writeMeta(module, version, { ...(meta ?? {}), decision, decidedAt: new Date() })
      .catch(ignoreStoreWriteError);
    return decision;
  }

  async #decideNewVersion(module: string, version: string): Promise<PolicyDecision> {
    const infoTime = await this.#infoTime(module, version);
    const latestGoModText = await this.#latestGoMod(module);
    return this.#o.policy!.onNewVersion({ module, version, infoTime, latestGoModText, now: new Date() });
  }

  async #infoTime(module: string, version: string): Promise<Date | null> {
    const reply = await this.#canonicalInfo(module, version);
    if (reply.status !== 200 || !Buffer.isBuffer(reply.body)) return null;
    try {
      const time = (JSON.parse(reply.body.toString('utf8')) as { Time?: string }).Time;
      return time ? new Date(time) : null;
    } catch {
      return null;
    }
  }

  /** The go.mod of the module's latest version: where retractions and deprecations live. */
  async #latestGoMod(module: string): Promise<string | null> {
    const latest = await this.#fresh('latest', module);
    if (latest.status !== 200 || !Buffer.isBuffer(latest.body)) return null;
    let version: string | undefined;
    try {
      version = (JSON.parse(latest.body.toString('utf8')) as { Version?: string }).Version;
    } catch {
      return null;
    }
    if (!version || !isCanonicalVersion(version)) return null;
    const mod = await this.#mod(module, version);
    return mod.status === 200 && Buffer.isBuffer(mod.body) ? mod.body.toString('utf8') : null;
  }

  async #mod(module: string, version: string): Promise<Reply> {
    const { store } = this.#o;
    const stored = await store.readFile(module, version, 'mod');
    if (stored) {
      store.markUsed(module, version);
      return bytesReply(stored, 'text/plain; charset=utf-8', 'store', immutableCache);
    }
    const fetched = await this.#flights.run(`mod ${module}@${version}`, async () => {
      const { chain, verifier } = this.#o;
      const result = await chain.fetchModule({ kind: 'mod', module, version }, async (body) => {
        const bytes = await readAll(body.body, maxModBytes);
        const verification = await verifier.verify(module, version, 'mod', hashGoMod(bytes), () =>
          this.#filesForGoCheck(module, version, bytes, null),
        );
        if (verification.status === 'mismatch') throw new RejectedBlob(verification.message);
        return { bytes, verification };
      });
      if (!result.ok) return { failure: failureReply(result.message, result.status) };
      const { bytes, verification } = result.value;
      const reply = bytesReply(bytes, 'text/plain; charset=utf-8', sourceOf(result.source), immutableCache);
      reply.upstreamBytes = bytes.length;
      reply.verification = describeVerification(verification);
      if (verification.status === 'unverified') {
        reply.unverified = true;
      } else if (!(await this.#tryStore(module, version, 'mod', bytes))) {
        reply.notStored = true;
      }
      return { reply };
    });
    if ('failure' in fetched) return fetched.failure;
    store.markUsed(module, version);
    return fetched.reply;
  }

  async #canonicalInfo(module: string, version: string): Promise<Reply> {
    const { store } = this.#o;
    const stored = await store.readFile(module, version, 'info');
    if (stored) return bytesReply(stored, 'application/json', 'store', immutableCache);
    const fetched = await this.#flights.run(`info ${module}@${version}`, async () => {
      const result = await this.#o.chain.fetchModule({ kind: 'info', module, version }, async (body) => {
        const bytes = await readAll(body.body, maxSmallAnswerBytes);
        const answered = parseInfoVersion(bytes);
        // The go command rejects an .info for another version than the canonical one it asked for.
        if (answered !== version) {
          throw new RejectedBlob(`upstream returned info for version ${answered} instead of ${version}`);
        }
        return bytes;
      });
      if (!result.ok) return { failure: failureReply(result.message, result.status) };
      const reply = bytesReply(result.value, 'application/json', sourceOf(result.source), immutableCache);
      reply.upstreamBytes = result.value.length;
      if (await this.#tryStore(module, version, 'info', result.value)) {
        await this.#o.store.addVersionToList(module, version).catch(() => {});
      } else {
        reply.notStored = true;
      }
      return { reply };
    });
    return 'failure' in fetched ? fetched.failure : fetched.reply;
  }

  /** A branch, tag or commit query: always asked upstream; the last answer is the fallback. */
  async #query(module: string, query: string): Promise<Reply> {
    const result = await this.#o.chain.fetchModule({ kind: 'info', module, version: query }, async (body) => {
      const bytes = await readAll(body.body, maxSmallAnswerBytes);
      const resolved = parseInfoVersion(bytes);
      if (!isCanonicalVersion(resolved))
        throw new RejectedBlob(`upstream resolved ${query} to a non-canonical "${resolved}"`);
      return bytes;
    });
    return this.#freshOrStale(result, `query/${query}`, module, 'application/json');
  }

  async #fresh(kind: 'list' | 'latest', module: string): Promise<Reply> {
    const result = await this.#o.chain.fetchModule({ kind, module }, async (body) => {
      const bytes = await readAll(body.body, maxSmallAnswerBytes);
      if (kind === 'latest') parseInfoVersion(bytes);
      return bytes;
    });
    return this.#freshOrStale(
      result,
      kind,
      module,
      kind === 'list' ? 'text/plain; charset=utf-8' : 'application/json',
    );
  }

  async #freshOrStale(
    result: Awaited<ReturnType<UpstreamChain['fetchModule']>> & { value?: unknown },
    name: string,
    module: string,
    contentType: string,
  ): Promise<Reply> {
    const { stale } = this.#o;
    if (result.ok) {
      const bytes = result.value as Buffer;
      await stale.save(module, name, bytes).catch(() => {});
      const reply = bytesReply(bytes, contentType, sourceOf(result.source), shortLivedCache);
      reply.upstreamBytes = bytes.length;
      return reply;
    }
    if (result.status === 502) {
      const saved = await stale.load(module, name);
      if (saved) {
        const reply = bytesReply(saved, contentType, 'store', 'no-store');
        reply.stale = true;
        reply.headers = { ...reply.headers, 'x-goproxy-action-stale': 'true; upstream failed' };
        return reply;
      }
    }
    return failureReply(result.message, result.status);
  }

  async #tryStore(module: string, version: string, ext: 'info' | 'mod', bytes: Buffer): Promise<boolean> {
    try {
      await this.#o.store.writeFileAtomic(module, version, ext, bytes);
      this.#o.onStored?.(bytes.length);
      return true;
    } catch (err) {
      if (err instanceof StoreWriteError) return false;
      throw err;
    }
  }

  async #beginScratchWrite() {
    this.#scratchDir ??= mkdtemp(join(tmpdir(), 'goproxy-action-scratch-'));
    // Never committed, only detached: the final name only places the unique temp file.
    return beginAtomicWrite(join(await this.#scratchDir, 'blob.zip'));
  }

  #keepScratch(path: string): void {
    this.#scratch.add(path);
    setTimeout(() => {
      this.#scratch.delete(path);
      rm(path, { force: true }).catch(() => {});
    }, 120_000).unref();
  }
}

function ignoreStoreWriteError(err: unknown): void {
  if (!(err instanceof StoreWriteError)) throw err;
}

function parseInfoVersion(bytes: Buffer): string {
  let parsed: { Version?: unknown };
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as { Version?: unknown };
  } catch {
    throw new RejectedBlob('upstream answered with invalid JSON for .info');
  }
  if (typeof parsed.Version !== 'string') throw new RejectedBlob('upstream .info has no Version');
  return parsed.Version;
}

function sourceOf(source: string): Reply['source'] {
  return source === 'direct' ? 'direct' : 'upstream';
}

function describeVerification(v: Verification): string {
  switch (v.status) {
    case 'verified':
      return `verified:${v.by}`;
    case 'trusted':
      return 'trusted:first-use';
    case 'unverified':
      return `unverified:${v.reason}`;
    case 'mismatch':
      return 'mismatch';
  }
}

function fileReply(file: string, size: number, contentType: string, source: Reply['source']): Reply {
  return {
    status: 200,
    contentType,
    body: { file, size },
    headers: { 'cache-control': immutableCache },
    source,
  };
}

function bytesReply(body: Buffer, contentType: string, source: Reply['source'], cacheControl: string): Reply {
  return { status: 200, contentType, body, headers: { 'cache-control': cacheControl }, source };
}

function failureReply(message: string, status: number): Reply {
  if (status === 404) return textReply(404, `not found: ${message}`);
  return textReply(502, `goproxy-action: upstream failed: ${message}`);
}
