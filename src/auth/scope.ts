/**
 * Turns a permission into a WHERE clause. Every repository that reads organisation-owned rows
 * goes through here, so an empty scope returns nothing rather than everything.
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Actor } from './actor.ts';
import { organisationsWhere } from './actor.ts';
import type { Permission } from './permissions.ts';

// The builder is typed loosely so the helper works in any query, joins and aliases included.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyBuilder = ExpressionBuilder<any, any>;

export function inScope(actor: Actor, permission: Permission, column: string): (eb: AnyBuilder) => Expression<SqlBool> {
  const scope = organisationsWhere(actor, permission);
  return (eb) => {
    if (scope === 'all') return sql<SqlBool>`true`;
    if (scope.length === 0) return sql<SqlBool>`false`;
    return eb(eb.ref(column), 'in', scope);
  };
}
