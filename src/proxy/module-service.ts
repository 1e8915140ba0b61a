// The module request pipeline, one way through: (1) decide what the path and version alone
// decide (policy path rules, version ranges); (2) for a .zip, the metadata rules, their
// inputs fetched once (the .info time, the latest go.mod) and the decision recorded; (3) the
// store, for immutable blobs; (4) fetch -> verify -> commit as one unit (blob-fetch.ts).
// Lists, @latest and queries are asked upstream fresh; when the upstream fails the last good
// answer is served, and when no upstream has the module (404, or GOPROXY=off) the store
// answers from what it holds, as GOPROXY=file://<store> would. Versions a policy rule blocks
// are left out of lists and @latest. Each stage fills in the request's record; the answer
// carries no HTTP status: the server chooses it.
import { setMaxListeners } from 'node:events';
import { isCanonicalVersion, isPrerelease, isPseudoVersion, sortVersions } from '../gomod/version.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { StoreWriteError } from '../store/store-write-error.ts';
import { formatVersionList, isListableVersion } from '../store/version-list.ts';
import type { ChainResult, ModuleRequestKind, UpstreamChain } from '../upstream/upstream-chain.ts';
import { readAll } from '../upstream/upstream-response.ts';
import {
  BlobFetch,
  type FetchedBlob,
  maxSmallAnswerBytes,
  parseInfoVersion,
  RejectedBlob,
} from './blob-fetch.ts';
import type { BlobVerifier } from './blob-verifier.ts';
import type { ClientStream, ModuleAnswer } from './module-answer.ts';
import type { OpenFile } from './reply.ts';
import type { RequestRecord } from './request-record.ts';
import type { ServedZipHashes } from './served-zip-hash.ts';
import type { StaleAnswers } from './stale-answers.ts';
import { ZipPrefetch } from './zip-prefetch.ts';

export type PolicyDecision = {
  action: 'allow' | 'warn' | 'deny';
  rule?: string;
  reason?: string;
  recheckAfter?: string;
};

/** What the proxy needs of a loaded policy (src/policy/proxy-policy.ts implements it). */
export type ProxyPolicyHook = {
  beforeUpstream(module: string, version: string | null, kind: ModuleRequestKind): PolicyDecision;
  /** Which metadata the rules read for this module (fetched only when needed). */
  metadataNeeds?(module: string): { time: boolean; retractions: boolean };
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
  /** Called for each blob put in the store. */
  onStored?: (bytes: number) => void;
  /** Remembers stored zips' hashes for answers that carry them (served-zip-hash.ts). */
  zipHashes?: ServedZipHashes;
  /** Most .info files one list (or @latest) may fetch for min-age; default listMetadataLimit. */
  listMetadataLimit?: number;
  /** Zips fetched when their .info is asked (zip-prefetch.ts); null: none. Default zipPrefetchDefaults. */
  zipPrefetch?: { concurrency: number; ahead: number } | null;
  /** A zip prefetched and stored; `asked`: a client then asked for it. */
  onPrefetched?: (event: 'stored' | 'asked') => void;
};

export type ModuleRequest = { kind: ModuleRequestKind; module: string; version: string | null };

/** Metadata fetches for one list run side by side, a few at a time. */
const metadataConcurrency = 8;
/**
 * min-age reads each listed version's .info. A list of thousands of versions must not fan out
 * into thousands of upstream requests: only the newest this many versions whose age is not
 * known here (stored .info, recorded decision) are looked up; the older ones are left out of
 * the list (and @latest), as a version whose age is unknown is never admitted. Asked for by
 * name, such a version is still judged on its own .info.
 */
export const listMetadataLimit = 64;
/**
 * Most lines of an upstream's list a policy judges. Each costs store lookups and event-loop
 * time; the longest real lists have a few thousand versions, and a hostile upstream's list of
 * hundreds of thousands held every other request up for seconds. The lines past it are left
 * out (a version asked for by name is still judged on its own).
 */
export const maxJudgedListLines = 10_000;
/**
 * Zip prefetch: 4 at once beside the go command's own few (it asks GOMAXPROCS zips at a time),
 * at most 32 waiting unasked (what a client asking only .info files can cost: 32 zips, not its
 * whole build list), forgotten after 5 minutes.
 */
export const zipPrefetchDefaults = { concurrency: 4, ahead: 32 };
const zipPrefetchTtlMs = 300_000;
/** Most bytes of prefetched .mod files held until their client asks (a go.mod is mostly a few kB). */
const maxPrefetchedBytes = 16 << 20;

const textContent = 'text/plain; charset=utf-8';
const jsonContent = 'application/json';

type Fetched = { blob: FetchedBlob; led: boolean };

type PrefetchEntry = { work: Promise<Fetched | null>; release: () => void };

type Short = { bytes: Buffer; source: RequestRecord['source']; stale: boolean; upstreamBytes?: number };

export class ModuleService {
  readonly #o: ModuleServiceOptions;
  readonly #fetch: BlobFetch;
  readonly #shutdown = new AbortController();
  /** .mod fetches started with their .info, until the client asks for them. */
  readonly #prefetches = new Map<string, PrefetchEntry>();
  /** Bytes of prefetched .mod files held for a client that need never ask for them. */
  #prefetchedBytes = 0;
  readonly #zipPrefetch: ZipPrefetch<Fetched> | null;

  constructor(options: ModuleServiceOptions) {
    this.#o = options;
    // Every fetch under way listens to it: no limit, no warning under load.
    setMaxListeners(0, this.#shutdown.signal);
    this.#fetch = new BlobFetch({
      store: options.store,
      chain: options.chain,
      verifier: options.verifier,
      signal: this.#shutdown.signal,
      ...(options.onStored ? { onStored: options.onStored } : {}),
      ...(options.zipHashes ? { zipHashes: options.zipHashes } : {}),
    });
    const prefetch = options.zipPrefetch === undefined ? zipPrefetchDefaults : options.zipPrefetch;
    this.#zipPrefetch = prefetch
      ? new ZipPrefetch<Fetched>({
          ...prefetch,
          ttlMs: zipPrefetchTtlMs,
          fetch: (module, version) => this.#prefetchZip(module, version),
          ...(options.onPrefetched ? { onPrefetched: options.onPrefetched } : {}),
        })
      : null;
  }

  /** `client`: where a cold .zip may be streamed as it arrives (null: answer whole). */
  async handle(
    request: ModuleRequest,
    record: RequestRecord,
    client: ClientStream | null,
  ): Promise<ModuleAnswer> {
    const { kind, module, version } = request;
    const policy = this.#o.policy;
    if (policy) {
      const decision = policy.beforeUpstream(module, version, kind);
      if (decision.action === 'deny') return this.#denied(decision, record);
    }
    switch (kind) {
      case 'zip':
        return this.#zip(module, version!, record, client);
      case 'mod':
        return this.#immutable('mod', module, version!, record);
      case 'info':
        return isCanonicalVersion(version!)
          ? this.#immutable('info', module, version!, record)
          : this.#query(module, version!, record);
      case 'list':
        return this.#list(module, record);
      case 'latest':
        return this.#latest(module, record);
    }
  }

  /** Waits for every blob fetch under way (flush). */
  async settle(): Promise<void> {
    await this.#zipPrefetch?.settle();
    await this.#fetch.settle();
  }

  /** Lets fetches under way finish for up to `graceMs`, then aborts them, whatever the upstream does. */
  async close(graceMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all([this.#zipPrefetch?.close(), this.#fetch.settle()]), grace]);
    clearTimeout(timer);
    this.#shutdown.abort();
    await this.#fetch.close();
  }

  #denied(decision: PolicyDecision, record: RequestRecord): ModuleAnswer {
    record.denial = { rule: decision.rule ?? 'policy', reason: decision.reason ?? '' };
    return { type: 'denied', text: this.#o.policy!.denialText(decision) };
  }

  // ---- immutable blobs ----------------------------------------------------------------------

  async #zip(
    module: string,
    version: string,
    record: RequestRecord,
    client: ClientStream | null,
  ): Promise<ModuleAnswer> {
    const { store } = this.#o;
    if (this.#o.policy) {
      const decision = await this.#metadataDecision(module, version);
      if (decision.action === 'deny') return this.#denied(decision, record);
    }
    // A prefetched zip is this request's fetch (its record says upstream, with the bytes); one
    // under way is waited for, as a concurrent client's fetch would be.
    const claimed = this.#zipPrefetch?.claim(module, version);
    let prefetched = claimed ? await claimed : null;
    // A concurrent prune (another process on the store) may remove a blob between its commit
    // and our open: then it is fetched again, a few times at most.
    for (let attempt = 1; ; attempt++) {
      const stored = await store.openBlob(module, version, 'zip');
      if (stored) {
        store.markUsed(module, version);
        if (prefetched) return this.#answer(prefetched, record, false, 'application/zip', stored);
        record.source = 'store';
        return content('application/zip', stored);
      }
      prefetched = null;
      const fetched = await this.#fetch.fetch('zip', module, version, client);
      const { blob } = fetched;
      // Streamed from the spool to this client: over once the client has taken it (or left).
      const streamed =
        client !== null && blob.type !== 'not-found' && blob.streamedTo === client && blob.streamed
          ? await blob.streamed
          : false;
      if (blob.type !== 'ok' || streamed || Buffer.isBuffer(blob.body)) {
        return this.#answer(fetched, record, streamed, 'application/zip', null);
      }
      const opened = blob.body.acquire();
      if (opened) {
        store.markUsed(module, version);
        return this.#answer(fetched, record, false, 'application/zip', opened);
      }
      if (attempt >= 3) {
        return {
          type: 'upstream-failed',
          message: `${module}@${version}.zip vanished from the store as it was served`,
        };
      }
    }
  }

  async #immutable(
    kind: 'info' | 'mod',
    module: string,
    version: string,
    record: RequestRecord,
  ): Promise<ModuleAnswer> {
    const { store } = this.#o;
    const contentType = kind === 'mod' ? textContent : jsonContent;
    // A prefetched .mod is this request's fetch: its record says upstream, with the bytes.
    const prefetched = kind === 'mod' ? await this.#claimPrefetch(module, version) : null;
    if (prefetched) {
      store.markUsed(module, version);
      return this.#answer(prefetched, record, false, contentType, null);
    }
    const stored = await store.readFile(module, version, kind);
    if (stored) {
      if (kind === 'mod') store.markUsed(module, version);
      record.source = 'store';
      return content(contentType, stored);
    }
    const fetched = await this.#fetch.fetch(kind, module, version, null);
    if (fetched.blob.type === 'ok' && kind === 'mod') store.markUsed(module, version);
    if (fetched.blob.type === 'ok' && kind === 'info') {
      if (fetched.led) this.#prefetchMod(module, version);
      this.#offerZip(module, version);
    }
    return this.#answer(fetched, record, false, contentType, null);
  }

  /**
   * The go command asks for a version's .mod right after its .info: fetch it alongside (and
   * its checksum-database lookup with it), so the cold path costs one upstream round trip
   * less. The client's own .mod request joins this fetch or finds it stored.
   */
  #prefetchMod(module: string, version: string): void {
    const key = `${module}@${version}`;
    if (this.#prefetches.has(key)) return;
    let held = 0;
    const entry: PrefetchEntry = {
      work: Promise.resolve(null),
      release: () => {
        this.#prefetchedBytes -= held;
        held = 0;
      },
    };
    entry.work = (async () => {
      if (await this.#o.store.stat(module, version, 'mod').catch(() => null)) return null;
      const fetched = await this.#fetch.fetch('mod', module, version, null);
      if (!fetched.led || fetched.blob.type !== 'ok') return null;
      // Kept for the client within a budget: one that asks for many .info files and no .mod
      // (an upstream's go.mod may be 16 MiB) would otherwise make the proxy hold them all.
      const size = Buffer.isBuffer(fetched.blob.body) ? fetched.blob.body.length : 0;
      if (this.#prefetches.get(key) !== entry || this.#prefetchedBytes + size > maxPrefetchedBytes)
        return null;
      this.#prefetchedBytes += size;
      held = size;
      return fetched;
    })().catch(() => null);
    this.#prefetches.set(key, entry);
    // Unclaimed (the client never asked): forget it, the .mod is stored anyway.
    setTimeout(() => {
      if (this.#prefetches.get(key) !== entry) return;
      this.#prefetches.delete(key);
      entry.release();
    }, 60_000).unref();
  }

  /**
   * Queues the zip of an .info the upstream answered. Not for a module the policy refuses by
   * path or version, nor one the chain fetches with the go command itself (`direct`, the
   * private modules' default: a VCS download per zip); the metadata rules are applied when it
   * starts (#prefetchZip).
   */
  #offerZip(module: string, version: string): void {
    if (!this.#zipPrefetch) return;
    if (this.#o.chain.entriesFor(module)[0]?.kind !== 'url') return;
    if (this.#o.policy?.beforeUpstream(module, version, 'zip').action === 'deny') return;
    this.#zipPrefetch.offer(module, version);
  }

  /**
   * One prefetch: the metadata rules a client's .zip request applies before it fetches (the
   * path and range rules were applied when it was offered; the policy is fixed for the
   * process), then the same fetch (one flight per blob: verified and committed as any). Always
   * answered whole, never streamed: the chain is walked as for a client, `|` fallbacks
   * included. The result is kept only when this prefetch fetched the zip and stored it;
   * otherwise the client fetches.
   */
  async #prefetchZip(module: string, version: string): Promise<Fetched | null> {
    if (this.#o.policy && (await this.#metadataDecision(module, version)).action === 'deny') return null;
    if (await this.#o.store.stat(module, version, 'zip').catch(() => null)) return null;
    const fetched = await this.#fetch.fetch('zip', module, version, null);
    if (!fetched.led || fetched.blob.type !== 'ok' || fetched.blob.notStored) return null;
    return fetched;
  }

  async #claimPrefetch(module: string, version: string): Promise<Fetched | null> {
    const key = `${module}@${version}`;
    const entry = this.#prefetches.get(key);
    if (!entry) return null;
    this.#prefetches.delete(key);
    const fetched = await entry.work;
    entry.release();
    return fetched;
  }

  /** The bytes of a stored or fetched .info/.mod, for the pipeline's own use (metadata rules). */
  async #blobBytes(kind: 'info' | 'mod', module: string, version: string): Promise<Buffer | null> {
    const stored = await this.#o.store.readFile(module, version, kind);
    if (stored) return stored;
    const { blob } = await this.#fetch.fetch(kind, module, version, null);
    return blob.type === 'ok' && Buffer.isBuffer(blob.body) ? blob.body : null;
  }

  #answer(
    fetched: { blob: FetchedBlob; led: boolean },
    record: RequestRecord,
    /** The answer went to the client as it arrived (complete, or aborted). */
    streamed: boolean,
    contentType: string,
    opened: OpenFile | null,
  ): ModuleAnswer {
    const { blob, led } = fetched;
    if (blob.type === 'not-found') return { type: 'not-found', message: blob.message };
    if (blob.type === 'failed') {
      return streamed ? { type: 'streamed' } : { type: 'upstream-failed', message: blob.message };
    }
    record.source = blob.source;
    if (led) record.upstreamBytes = blob.upstreamBytes;
    if (blob.verification) record.verification = blob.verification;
    if (blob.notStored) record.notStored = blob.notStored;
    if (blob.storeError) record.storeError = blob.storeError;
    if (streamed) return { type: 'streamed' };
    const body = opened ?? blob.body;
    if (!Buffer.isBuffer(body) && !('handle' in body))
      throw new Error('a shared file must be acquired first');
    return {
      type: 'content',
      contentType,
      body,
      cache: blob.notStored ? 'no-store' : 'immutable',
      ...(blob.notStored ? { notStored: true } : {}),
    };
  }

  // ---- metadata rules -----------------------------------------------------------------------

  /** The metadata decision for a .zip: recorded, or made now from inputs fetched once and recorded. */
  async #metadataDecision(module: string, version: string): Promise<PolicyDecision> {
    const policy = this.#o.policy!;
    const meta = await this.#readMeta(module, version);
    if (meta?.decision && !policy.isStale?.(meta.decision, new Date())) return meta.decision;
    const needs = policy.metadataNeeds?.(module) ?? { time: true, retractions: true };
    const [infoTime, latestGoModText] = await Promise.all([
      needs.time ? this.#infoTime(module, version) : null,
      needs.retractions ? this.#latestGoMod(module) : null,
    ]);
    const decision = policy.onNewVersion({ module, version, infoTime, latestGoModText, now: new Date() });
    // A decision made without an input (its fetch failed, or there is none) holds for this
    // request only: recorded, one upstream hiccup would deny a version, or let a retracted one
    // through, in every later run that carries the store.
    const complete = (!needs.time || infoTime !== null) && (!needs.retractions || latestGoModText !== null);
    if (complete && (needs.time || needs.retractions || decision.action === 'deny')) {
      await this.#updateMeta(module, version, { decision, decidedAt: new Date() });
    }
    return decision;
  }

  /** Decides each version of a list by the rules that block versions (ranges, retracted, min-age). */
  async #blockedVersions(module: string, versions: string[]): Promise<Map<string, PolicyDecision>> {
    const policy = this.#o.policy!;
    const blocked = new Map<string, PolicyDecision>();
    const rest: string[] = [];
    for (const v of versions) {
      const byRange = policy.beforeUpstream(module, v, 'zip');
      if (byRange.action === 'deny') blocked.set(v, byRange);
      else rest.push(v);
    }
    const needs = policy.metadataNeeds?.(module) ?? { time: true, retractions: true };
    if (rest.length === 0 || (!needs.time && !needs.retractions)) return blocked;
    // The latest go.mod once for the whole list: the real latest's, where retractions live.
    const latestGoModText = needs.retractions ? await this.#latestGoMod(module) : null;
    const now = new Date();
    // First what this store knows (a recorded decision, a stored .info); then the upstream.
    const unknown: string[] = [];
    await forEachLimited(rest, metadataConcurrency, async (version) => {
      const meta = await this.#readMeta(module, version);
      let decision = meta?.decision && !policy.isStale?.(meta.decision, now) ? meta.decision : null;
      if (!decision && needs.time) {
        const stored = await this.#o.store.readFile(module, version, 'info').catch(() => null);
        if (!stored) {
          unknown.push(version);
          return;
        }
        decision = policy.onNewVersion({
          module,
          version,
          infoTime: infoTimeOf(stored),
          latestGoModText,
          now,
        });
      }
      decision ??= policy.onNewVersion({ module, version, infoTime: null, latestGoModText, now });
      if (decision.action === 'deny') blocked.set(version, decision);
    });
    // The newest first: they are the ones the go command picks from a list.
    const limit = this.#o.listMetadataLimit ?? listMetadataLimit;
    const newestFirst = sortVersions(unknown).reverse();
    for (const version of newestFirst.slice(limit)) {
      blocked.set(version, {
        action: 'deny',
        rule: 'min-age',
        reason: `its age is unknown: only the newest ${limit} versions of a list are looked up; ask for it by version`,
      });
    }
    await forEachLimited(newestFirst.slice(0, limit), metadataConcurrency, async (version) => {
      const infoTime = await this.#infoTime(module, version);
      const decision = policy.onNewVersion({ module, version, infoTime, latestGoModText, now });
      if (decision.action === 'deny') blocked.set(version, decision);
    });
    return blocked;
  }

  async #infoTime(module: string, version: string): Promise<Date | null> {
    const bytes = await this.#blobBytes('info', module, version);
    return bytes ? infoTimeOf(bytes) : null;
  }

  /** The go.mod of the module's real (unfiltered) latest version: where retractions live. */
  async #latestGoMod(module: string): Promise<string | null> {
    const latest = await this.#short('latest', module);
    if (!latest) return null;
    let version: string;
    try {
      version = parseInfoVersion(latest.bytes);
    } catch {
      return null;
    }
    if (!isCanonicalVersion(version)) return null;
    const mod = await this.#blobBytes('mod', module, version);
    return mod ? mod.toString('utf8') : null;
  }

  async #readMeta(module: string, version: string): Promise<{ decision?: PolicyDecision } | null> {
    try {
      return (await this.#o.store.readMeta(module, version)) as { decision?: PolicyDecision } | null;
    } catch {
      return null; // unreadable or corrupt: decide again (and overwrite it)
    }
  }

  async #updateMeta(module: string, version: string, fields: object): Promise<void> {
    try {
      // Under the store's lock: another proxy on this store may be adding its own fields.
      await this.#o.store.updateMeta(module, version, (current) => ({ ...(current ?? {}), ...fields }));
    } catch (err) {
      if (!(err instanceof StoreWriteError)) throw err;
    }
  }

  // ---- lists, @latest, queries --------------------------------------------------------------

  async #list(module: string, record: RequestRecord): Promise<ModuleAnswer> {
    const answer = await this.#shortAnswer('list', module);
    if ('type' in answer) return answer;
    fill(record, answer);
    let bytes = answer.bytes;
    if (this.#o.policy) {
      const all = bytes.toString('utf8').split('\n');
      const lines = all.length > maxJudgedListLines ? all.slice(0, maxJudgedListLines) : all;
      const versionOf = (l: string) => l.trim().split(/\s+/)[0] ?? '';
      const versions = lines.map(versionOf).filter(isListableVersion);
      const blocked = await this.#blockedVersions(module, versions);
      // Only canonical lines pass: the go command also takes `v1.5` or `v1.5.0+meta` from a
      // list, which would name a blocked version in a spelling the filter does not judge.
      const kept = lines.filter((l) => isListableVersion(versionOf(l)) && !blocked.has(versionOf(l)));
      if (lines !== all || kept.length !== lines.filter((l) => l.trim() !== '').length) {
        bytes = Buffer.from(kept.map((l) => `${l}\n`).join(''));
      }
    }
    return shortContent(textContent, bytes, answer.stale);
  }

  async #latest(module: string, record: RequestRecord): Promise<ModuleAnswer> {
    const answer = await this.#shortAnswer('latest', module);
    if ('type' in answer) return answer;
    fill(record, answer);
    const policy = this.#o.policy;
    const latest = infoVersionOrNull(answer.bytes) ?? '';
    // A pseudo-version @latest (no tags) stays under the pseudo-version rule: a 403 on its zip.
    if (!policy || isPseudoVersion(latest)) {
      return shortContent(jsonContent, answer.bytes, answer.stale);
    }
    // Another spelling (`v1.5`, `v1.5.0+meta`) is not judged as given: the newest allowed
    // listed version answers instead.
    const canonical = isCanonicalVersion(latest);
    const listed = await this.#short('list', module);
    const candidates = listed
      ? listed.bytes
          .toString('utf8')
          .split('\n', maxJudgedListLines)
          .map((l) => l.trim().split(/\s+/)[0] ?? '')
          .filter(isListableVersion)
      : [];
    if (canonical && !candidates.includes(latest)) candidates.push(latest);
    const blocked = await this.#blockedVersions(module, candidates);
    if (canonical && !blocked.has(latest)) return shortContent(jsonContent, answer.bytes, answer.stale);
    const allowed = sortVersions(candidates.filter((v) => !blocked.has(v)));
    // Go's idea of latest: the newest release, else the newest pre-release.
    const releases = allowed.filter((v) => !isPrerelease(v));
    const choice = (releases.length > 0 ? releases : allowed).at(-1);
    const info = choice ? await this.#blobBytes('info', module, choice) : null;
    if (!info) {
      const decision = blocked.get(latest);
      if (decision) return this.#denied(decision, record);
      return {
        type: 'upstream-failed',
        message: `${module}/@latest named "${latest}", not a canonical version, and no allowed version is listed`,
      };
    }
    return shortContent(jsonContent, info, answer.stale);
  }

  /** A branch, tag or commit query: asked upstream; the last answer is the fallback. */
  async #query(module: string, query: string, record: RequestRecord): Promise<ModuleAnswer> {
    const result = await this.#o.chain.fetchModule(
      { kind: 'info', module, version: query },
      async (body) => {
        const bytes = await readAll(body.body, maxSmallAnswerBytes);
        const resolved = parseInfoVersion(bytes);
        if (!isCanonicalVersion(resolved))
          throw new RejectedBlob(`upstream resolved ${query} to a non-canonical "${resolved}"`);
        return { bytes, source: body.source };
      },
      this.#shutdown.signal,
    );
    const answer = await this.#freshOrStale(result, `query/${query}`, module);
    if ('type' in answer) return answer;
    fill(record, answer);
    const resolved = infoVersionOrNull(answer.bytes) ?? '';
    if (this.#o.policy && isCanonicalVersion(resolved) && !isPseudoVersion(resolved)) {
      const decision = (await this.#blockedVersions(module, [resolved])).get(resolved);
      if (decision) return this.#denied(decision, record);
    }
    return shortContent(jsonContent, answer.bytes, answer.stale);
  }

  /** A list or @latest for the pipeline's own use: upstream, else stale, else the store's. */
  async #short(kind: 'list' | 'latest', module: string): Promise<Short | null> {
    const answer = await this.#shortAnswer(kind, module);
    return 'type' in answer ? null : answer;
  }

  async #shortAnswer(kind: 'list' | 'latest', module: string): Promise<Short | ModuleAnswer> {
    const result = await this.#o.chain.fetchModule(
      { kind, module },
      async (body) => {
        const bytes = await readAll(body.body, maxSmallAnswerBytes);
        if (kind === 'latest') parseInfoVersion(bytes);
        return { bytes, source: body.source };
      },
      this.#shutdown.signal,
    );
    const answer = await this.#freshOrStale(result, kind, module);
    if (!('type' in answer)) return answer;
    // No upstream has it (or none is asked: GOPROXY=off): what the store holds answers.
    return (await this.#fromStore(kind, module)) ?? answer;
  }

  async #freshOrStale(
    result: ChainResult<{ bytes: Buffer; source: string }>,
    name: string,
    module: string,
  ): Promise<Short | ModuleAnswer> {
    const { stale } = this.#o;
    if (result.ok) {
      const { bytes, source } = result.value;
      await stale.save(module, name, bytes).catch(() => {});
      return {
        bytes,
        source: source === 'direct' ? 'direct' : 'upstream',
        stale: false,
        upstreamBytes: bytes.length,
      };
    }
    if (result.status === 502) {
      const saved = await stale.load(module, name);
      if (saved) return { bytes: saved, source: 'store', stale: true };
      return { type: 'upstream-failed', message: result.message };
    }
    return { type: 'not-found', message: result.message };
  }

  /** The list or @latest the store's own files give, as GOPROXY=file://<store> reads them. */
  async #fromStore(kind: 'list' | 'latest', module: string): Promise<Short | null> {
    const versions = await this.#o.store.versionsWithInfo(module).catch(() => []);
    if (kind === 'list') {
      const text = formatVersionList(versions);
      return text === '' ? null : { bytes: Buffer.from(text), source: 'store', stale: false };
    }
    // Tagged versions only: a stored pseudo-version is just the one a build used, and naming it
    // @latest would hide the newer one the client finds itself from the list (as it does with
    // GOPROXY=file://, which has no @latest at all).
    const listable = versions.filter(isListableVersion);
    const releases = listable.filter((v) => !isPrerelease(v));
    const choice = (releases.length > 0 ? releases : listable).at(-1);
    if (!choice) return null;
    const info = await this.#o.store.readFile(module, choice, 'info').catch(() => null);
    return info ? { bytes: info, source: 'store', stale: false } : null;
  }
}

function infoTimeOf(bytes: Buffer): Date | null {
  try {
    const time = (JSON.parse(bytes.toString('utf8')) as { Time?: string }).Time;
    return time ? new Date(time) : null;
  } catch {
    return null;
  }
}

/** The Version of an .info answer already checked once (a saved or stored one), or null. */
function infoVersionOrNull(bytes: Buffer): string | null {
  try {
    return parseInfoVersion(bytes);
  } catch {
    return null;
  }
}

function fill(record: RequestRecord, answer: Short): void {
  record.source = answer.source;
  if (answer.upstreamBytes !== undefined) record.upstreamBytes = answer.upstreamBytes;
  if (answer.stale) record.stale = true;
}

function content(contentType: string, body: Buffer | OpenFile): ModuleAnswer {
  return { type: 'content', contentType, body, cache: 'immutable' };
}

function shortContent(contentType: string, body: Buffer, stale: boolean): ModuleAnswer {
  return stale
    ? { type: 'content', contentType, body, cache: 'no-store', stale: true }
    : { type: 'content', contentType, body, cache: 'short-lived' };
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
