// A loaded policy as the proxy uses it: decisions per request, the metadata decision when a
// zip first enters the store, and the 403 text the go command prints to the user.
import { createHash } from 'node:crypto';
import {
  GoModError,
  parseGoMod,
  type RetractionLookup,
  retractionLookup,
  shortMessage,
} from '../gomod/go-mod-file.ts';
import { type Decision, decideMetadata, decideVersion, type RequestKind } from './decide.ts';
import { matchPatternList } from './patterns.ts';
import type { Policy } from './policy.ts';

export type NewVersionInput = {
  module: string;
  version: string;
  /** The version's `.info` Time, null when unknown. */
  infoTime: Date | null;
  /** The go.mod of the module's latest version (its retract directives count), null when unknown. */
  latestGoModText: string | null;
  now: Date;
};

/** A recorded decision, as the store keeps it next to the blob. */
export type RecordedDecision = Decision & { policyFingerprint?: string };

// The go command prints at most 8 lines / 648 bytes of a text/plain error body and stops at
// the first blank line; stay well inside that.
const maxLines = 8;
const maxBytes = 600;
const maxLineBytes = 160;

/** One line of printable text: control characters and line breaks collapsed, length capped. */
function oneLine(text: string): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncateBytes(flat, maxLineBytes);
}

function truncateBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text, 'utf8') <= limit) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(`${out}${ch}...`, 'utf8') > limit) break;
    out += ch;
  }
  return `${out}...`;
}

export class ProxyPolicy {
  readonly policy: Policy;
  /** Private patterns: the policy's plus those of the environment (GOPRIVATE, GONOPROXY). */
  readonly privatePatterns: string[];
  /** Changes whenever the inputs of metadata decisions change, so recorded decisions can be re-made. */
  readonly fingerprint: string;
  /**
   * The retractions of the last latest go.mod read: a list is judged version by version
   * against one go.mod (up to 10,000 versions, a go.mod of up to 16 MiB), which was parsed
   * and scanned again for each of them.
   */
  #lastGoMod: { module: string; text: string; lookup: RetractionLookup | null } | null = null;
  /** go.mod files parsed for their retractions (for tests). */
  goModsParsed = 0;

  constructor(policy: Policy, options: { extraPrivatePatterns?: string[] } = {}) {
    this.privatePatterns = [...new Set([...policy.private, ...(options.extraPrivatePatterns ?? [])])];
    // Modules the environment declares private (GOPRIVATE, GONOPROXY) are private for every
    // decision too: allowed next to the allow list, exempt from the cool-down.
    this.policy = { ...policy, private: this.privatePatterns };
    // Only what decideMetadata reads: moving lines or editing deny rules (re-checked on every
    // request anyway) must not force re-decisions, which may need upstream requests.
    const inputs = JSON.stringify({ rules: policy.rules, private: [...this.privatePatterns].sort() });
    this.fingerprint = createHash('sha256').update(inputs).digest('hex').slice(0, 16);
  }

  /** Private modules are fetched only direct or from the private upstream, never looked up in a checksum database. */
  isPrivate(module: string): boolean {
    return matchPatternList(this.privatePatterns, module, { foldCase: true });
  }

  /** Path rules (and version constraints for `.zip`), decided before any upstream contact. */
  beforeUpstream(module: string, version: string | null, kind: RequestKind): Decision {
    return decideVersion(this.policy, module, version, kind);
  }

  /**
   * Which metadata a version needs before it can be judged: its .info time (min-age, not for
   * private modules) and the latest go.mod (retractions, when they deny).
   */
  metadataNeeds(module: string): { time: boolean; retractions: boolean } {
    const minAge = this.policy.rules.minAgeMs;
    return {
      time: minAge !== null && minAge > 0 && !this.isPrivate(module),
      retractions: this.policy.rules.retracted === 'deny',
    };
  }

  /** Metadata rules for a version whose zip just entered the store. Record the result with the blob. */
  onNewVersion(input: NewVersionInput): RecordedDecision {
    let retracted: { rationale: string } | null = null;
    const lookup =
      input.latestGoModText === null ? null : this.#retractions(input.module, input.latestGoModText);
    const found = lookup?.(input.version);
    if (found?.retracted) retracted = { rationale: shortMessage(found.rationale, '') };
    const decision = decideMetadata(this.policy, {
      module: input.module,
      version: input.version,
      time: input.infoTime,
      retracted,
      now: input.now,
    });
    return { ...decision, policyFingerprint: this.fingerprint };
  }

  #retractions(module: string, text: string): RetractionLookup | null {
    const last = this.#lastGoMod;
    if (last && last.module === module && last.text === text) return last.lookup;
    this.goModsParsed++;
    let lookup: RetractionLookup | null = null;
    try {
      // Lax, as the go command reads other modules' go.mod files: only retract matters here.
      lookup = retractionLookup(parseGoMod(text, `${module}/go.mod`, { lax: true }).retract);
    } catch (err) {
      // A go.mod the go command would not read either retracts nothing.
      if (!(err instanceof GoModError)) throw err;
    }
    this.#lastGoMod = { module, text, lookup };
    return lookup;
  }

  /**
   * True when a recorded decision must be made again: it was made under other rules, or it
   * depended on the clock (min-age) and that time has passed.
   */
  isStale(recorded: RecordedDecision, now: Date): boolean {
    if (recorded.policyFingerprint !== this.fingerprint) return true;
    if (recorded.recheckAfter !== undefined && now.getTime() >= Date.parse(recorded.recheckAfter))
      return true;
    return false;
  }

  /** The 403 body: short text/plain the go command prints whole (<= 8 lines, <= 600 bytes, no blank line). */
  denialText(decision: Decision): string {
    const subject = decision.module
      ? `${decision.module}${decision.version ? `@${decision.version}` : ''}`
      : 'this request';
    const source = decision.source ?? this.policy.source;
    const lines = [
      oneLine(`goproxy-action policy denied ${subject}`),
      oneLine(
        `rule: ${decision.rule ?? 'policy'}${decision.line ? ` (${source} line ${decision.line})` : ''}`,
      ),
    ];
    if (decision.reason) lines.push(oneLine(`reason: ${decision.reason}`));
    lines.push(oneLine(`policy file: ${source}`));
    if (decision.fix) lines.push(oneLine(`fix: ${decision.fix}`));
    let text = lines.slice(0, maxLines).join('\n');
    // Keep the head (what and which rule) if the whole does not fit.
    while (Buffer.byteLength(text, 'utf8') > maxBytes && lines.length > 2) {
      lines.splice(lines.length - 1, 1);
      text = lines.join('\n');
    }
    return `${truncateBytes(text, maxBytes)}\n`;
  }
}
