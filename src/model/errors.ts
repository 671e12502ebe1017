/**
 * An error the user can fix: bad input, an unreadable file, an unusable resolver.
 * The CLI prints its message as one line and exits 3, never with a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
