import type { CompiledQuery } from 'kysely';

const SLOT_PREFIX = '\u0000compiled-query-slot:';

type Slot<K extends string> = { readonly name: K } | { readonly fixed: unknown };

/**
 * A Kysely query built and compiled once, then executed with new values: the hot path's queries
 * spent as long in Kysely's builder and compiler as in SQLite itself (docs/performance.md).
 *
 * `build` receives one placeholder per named value and must put each where the value goes; the
 * compiled SQL keeps the dialect's own bind parameters, so the query stays the same on SQLite and
 * PostgreSQL and values never enter the SQL text. Values the builder inlines into the SQL (a
 * `limit`, an identifier) must not come from placeholders: {@link compileOnce} refuses them.
 */
export function compileOnce<K extends string>(
  names: readonly K[],
  build: (slots: Readonly<Record<K, string>>) => CompiledQuery,
): (values: Readonly<Record<K, unknown>>) => CompiledQuery {
  const placeholders = Object.fromEntries(names.map((name) => [name, SLOT_PREFIX + name])) as Record<
    K,
    string
  >;
  const compiled = build(placeholders);
  const slots: Slot<K>[] = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SLOT_PREFIX)
      ? { name: value.slice(SLOT_PREFIX.length) as K }
      : { fixed: value },
  );
  const used = new Set(slots.flatMap((slot) => ('name' in slot ? [slot.name] : [])));
  const missing = names.filter((name) => !used.has(name));
  if (missing.length > 0 || compiled.sql.includes(SLOT_PREFIX)) {
    throw new Error(`compileOnce: ${missing.join(', ') || 'a value'} is not a bind parameter of the query`);
  }
  return (values) => ({
    ...compiled,
    parameters: slots.map((slot) => ('name' in slot ? values[slot.name] : slot.fixed)),
  });
}
