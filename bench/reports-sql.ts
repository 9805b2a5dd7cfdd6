/**
 * Helpers for the reporting benchmark's generator: deterministic pseudo-random SQL expressions
 * (hashes of row numbers, so every run builds the same data set without a random generator),
 * weighted choices, and a runner that times each bulk statement.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';

/** A number in [0, 1) that depends only on `key` (an integer SQL expression) and `salt`. */
export function u(key: string, salt: number | string): string {
  return `((hashint8extended((${key})::bigint, (${salt})::bigint) & 2147483647)::float8 / 2147483648.0)`;
}

/** A whole number in [0, n). */
export function ui(key: string, salt: number | string, n: number | string): string {
  return `((hashint8extended((${key})::bigint, (${salt})::bigint) & 2147483647) % (${n}))::int`;
}

/** An exponentially distributed number of days with the given mean (median = mean × ln 2). */
export function expo(key: string, salt: number, mean: number): string {
  return `(-ln(1.0 - ${u(key, salt)}) * ${mean})`;
}

/** A standard normal number (Box–Muller from two hashes). */
export function normal(key: string, salt: number): string {
  return `(sqrt(-2.0 * ln(1.0 - ${u(key, salt)})) * cos(2.0 * pi() * ${u(key, salt + 1)}))`;
}

/** A SQL string literal. */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A text[] literal. */
export function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map(lit).join(',')}]::text[]`;
}

/**
 * A weighted choice between SQL expressions, driven by `uniform` (a column or expression in [0, 1)
 * that should be computed once: pass a column name). Weights need not add up to 1.
 */
export function pick(uniform: string, choices: readonly (readonly [string, number])[]): string {
  const total = choices.reduce((s, [, w]) => s + w, 0);
  let cumulative = 0;
  const arms = choices.slice(0, -1).map(([value, weight]) => {
    cumulative += weight / total;
    return `WHEN ${uniform} < ${cumulative.toFixed(6)} THEN ${value}`;
  });
  return `(CASE ${arms.join(' ')} ELSE ${choices[choices.length - 1]![0]} END)`;
}

/** Like pick, for text values. */
export function pickText(uniform: string, choices: readonly (readonly [string, number])[]): string {
  return pick(uniform, choices.map(([v, w]) => [lit(v), w] as const));
}

/** Deterministic uuid from a text key expression (the same key always gives the same id). */
export function id(keyExpr: string): string {
  return `md5(${keyExpr})::uuid`;
}

/** Runs one generator statement, printing how long it took when `log` is given. */
export async function exec(db: Kysely<DB>, text: string, label?: string, log?: (line: string) => void): Promise<number> {
  const started = performance.now();
  const result = await sql.raw(text).execute(db);
  const seconds = (performance.now() - started) / 1000;
  const rows = Number(result.numAffectedRows ?? 0n);
  if (label && log) log(`    ${label.padEnd(44)} ${String(rows).padStart(10)} rows ${seconds.toFixed(1).padStart(7)} s`);
  return rows;
}

/** One number from a query. */
export async function scalar(db: Kysely<DB>, text: string): Promise<number> {
  const result = await sql.raw<{ n: unknown }>(text).execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
