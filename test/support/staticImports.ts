import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..', '..');

/**
 * What a module of the project loads before any of its code runs: the project's modules and the
 * packages reached through static imports and re-exports, following the project's own modules.
 * Type-only imports are left out (they load nothing), and so is `import('…')`, which loads only
 * when it runs. Paths are relative to the project (`server/cli.ts`).
 */
export function staticImports(start: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const source = readFileSync(path.join(root, file), 'utf8');
    for (const match of source.matchAll(/^(?:import|export) (?!type )[^;]*? from '([^']+)';/gms)) {
      const specifier = match[1];
      if (specifier.startsWith('.')) visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
      else if (!specifier.startsWith('node:')) packages.add(specifier);
    }
  };
  visit(start);
  return { modules: [...modules].sort(), packages: [...packages].sort() };
}
