// A write to the store that the filesystem refused, for whatever reason: full, over quota,
// read-only, no permission, out of inodes or file descriptors, a file where a directory must
// be, a directory removed under us by a concurrent prune. The proxy treats every one alike:
// serve the blob it has in hand, do not store it, count it. Errors without an errno code are
// bugs and propagate as they are.

export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
  /** The errno code (ENOSPC, EROFS, EACCES, ENOTDIR, ENOENT, EMFILE, ...). */
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
      return 'disk full (ENOSPC): no space or no inodes left; free some or use a store directory on another disk';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT); raise the quota or use a store directory elsewhere';
    case 'EROFS':
      return 'read-only filesystem (EROFS); use a writable store directory';
    case 'EFBIG':
      return 'file too large for this filesystem (EFBIG)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}); give the proxy's user write access to the store`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `a file stands where a directory must be (${code}); remove it from the store`;
    case 'ENOENT':
      return 'a directory vanished while writing (ENOENT), e.g. removed by a concurrent prune';
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files (${code}); raise the limit (ulimit -n)`;
    default:
      return `the filesystem refused the write (${code})`;
  }
}

/** Turns any filesystem error (one with an errno code) into a StoreWriteError; returns anything else unchanged. */
export function asStoreWriteError(err: unknown, path: string): unknown {
  if (err instanceof StoreWriteError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return new StoreWriteError(code, path, err);
  return err;
}
