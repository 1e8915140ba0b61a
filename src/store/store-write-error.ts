// A write that failed because the disk cannot take it (full, over quota, read-only). The proxy
// catches this one kind of failure to keep serving the blob it has in hand without storing it,
// and counts it; any other write error is a bug or a misconfiguration and propagates as is.

/** The errno codes that mean "no room or no permission to write here, by the filesystem's say". */
const capacityCodes = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG']);

export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
  /** The errno code: ENOSPC, EDQUOT, EROFS or EFBIG. */
  readonly code: string;
  /** The file whose write failed (the final path, not the temp file). */
  readonly path: string;

  constructor(code: string, path: string, cause: unknown) {
    super(`cannot store ${path}: ${describe(code)}`, { cause });
    this.code = code;
    this.path = path;
  }
}

function describe(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'disk full (ENOSPC); free space on that disk or use a store directory on another one';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT); raise the quota or use a store directory elsewhere';
    case 'EROFS':
      return 'read-only filesystem (EROFS); use a writable store directory';
    default:
      return `file too large for this filesystem (${code})`;
  }
}

/** Turns a capacity errno into a StoreWriteError; returns anything else unchanged. */
export function asStoreWriteError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && capacityCodes.has(code)) return new StoreWriteError(code, path, err);
  return err;
}
