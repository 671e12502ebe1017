// The saved-facts file's format name and schema version, apart from its zod schema (facts-file.ts) so a run that
// records them in its report, without reading or writing a facts file, does not load zod.

export const FACTS_FORMAT = 'fedcheck-facts';
/** Bumped when a field changes meaning or disappears; a file of a newer version is refused, never half-read. */
export const FACTS_SCHEMA_VERSION = 1;
