/**
 * Statements PostgreSQL keeps prepared on each connection: marked with PREPARED in their text,
 * named here, and sent by name by the pool's client (database.ts). For statements that run on every
 * request and cost more to parse and plan than to run. After five runs PostgreSQL may plan a
 * statement once for all values (a generic plan), so mark only those whose best plan hardly depends
 * on the values: the session lookup, and the directory search without free text (docs/benchmarks.md,
 * "Directory"; with free text it does). Values go as parameters, never into the text: each text is
 * one prepared statement. The marker is a comment, which the embedded database simply ignores.
 */
export const PREPARED = '/* linkwell:prepared */';

/** Each distinct text is one prepared statement on every connection that runs it: a bound on them. */
const MAX_PREPARED_TEXTS = 100;
const preparedNames = new Map<string, string>();

/**
 * The statement's name when it is marked PREPARED (the same text always has the same name);
 * otherwise, or past the bound, none.
 */
export function preparedName(text: string): string | undefined {
  // At the start, or just after the SELECT of a query builder's `.modifyFront(sql.raw(PREPARED))`.
  if (!text.startsWith(PREPARED) && !text.startsWith(`select ${PREPARED}`)) return undefined;
  let name = preparedNames.get(text);
  if (!name && preparedNames.size < MAX_PREPARED_TEXTS) preparedNames.set(text, (name = `linkwell_${preparedNames.size + 1}`));
  return name;
}
