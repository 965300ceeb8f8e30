/** Why a file could not be written or opened for writing, in words for a bad-input message. */
export function unwritableReason(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'not writable';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}
