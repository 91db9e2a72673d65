/**
 * A value for `LIKE … ESCAPE '!'`: the wildcards % and _ and the escape character itself match
 * literally. SQLite has no default escape character and MySQL's is the backslash, so the clause
 * names one that both read the same way.
 */
export function likeEscape(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}
