/**
 * Statements PostgreSQL keeps prepared: marked in their text, named here, and sent by name by the
 * pool's client (database.ts). Parsing and planning a long statement can cost more than running it.
 */

/**
 * Begins a statement that PostgreSQL keeps prepared on each connection, for a statement that runs
 * on every request of a busy page and costs more to parse and plan than to run. After five runs
 * PostgreSQL may plan it once for all values (a generic plan), so only statements whose plan does
 * not depend much on the values should be marked: the session lookup, and the directory search
 * without free text (measured in docs/benchmarks.md, "Directory"; with free text it is not). Values vary by parameter, never by text: a text is one
 * prepared statement. A comment, so the embedded database (which prepares nothing) ignores it.
 */
export const PREPARED = '/* linkwell:prepared */';

/** Each distinct text is one prepared statement on every connection that runs it: a bound on them. */
const MAX_PREPARED_TEXTS = 100;
const preparedNames = new Map<string, string>();

/** The statement's name when it is marked PREPARED (the same text always has the same name); otherwise, or past the bound, none. */
export function preparedName(text: string): string | undefined {
  // At the start, or just after the SELECT of a query builder's `.modifyFront(sql.raw(PREPARED))`.
  if (!text.startsWith(PREPARED) && !text.startsWith(`select ${PREPARED}`)) return undefined;
  let name = preparedNames.get(text);
  if (!name && preparedNames.size < MAX_PREPARED_TEXTS) preparedNames.set(text, (name = `linkwell_${preparedNames.size + 1}`));
  return name;
}
