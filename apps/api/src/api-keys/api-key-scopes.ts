/** Scopes are stored space-separated, so a scope is one run of visible ASCII characters. */
const SCOPE_PATTERN = /^[\x21-\x7e]{1,64}$/;

/** Checks and de-duplicates a scope list, keeping its order; returns the offending scope when one is invalid. */
export function normalizeScopes(
  scopes: readonly string[],
): { ok: true; scopes: string[] } | { ok: false; invalid: string } {
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (!SCOPE_PATTERN.test(scope)) return { ok: false, invalid: scope };
    seen.add(scope);
  }
  return { ok: true, scopes: [...seen] };
}

/** Column value to list: `null` means every permission, `''` an empty list. */
export function scopesFromColumn(column: string | null): string[] | null {
  if (column === null) return null;
  return column.split(' ').filter((scope) => scope.length > 0);
}

export function scopesToColumn(scopes: readonly string[] | null): string | null {
  return scopes === null ? null : scopes.join(' ');
}
