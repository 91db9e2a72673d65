// Which code `sms106` runs: the compiled JavaScript in dist/ (what `npm install` builds, see
// package.json "prepare"), or the TypeScript sources through tsx when there is no build, when a
// source file changed after it, or when SMS106_FROM_SOURCE=1 asks (the tests do, so a CLI they
// start runs the code under test).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The marker `npm run build` writes once the compiler has finished. */
export const BUILT_MARKER = path.join('dist', '.built');

/** Folders and files whose change makes a build stale: the compiled code and the data it reads beside it. */
const SOURCES = ['server', 'ormconfig.ts'];

/**
 * @param {string} root the project folder
 * @param {{ fromSource?: boolean }} options
 * @returns {{ kind: 'dist' | 'source', reason: string }}
 */
export function chooseEntry(root, options = {}) {
  if (options.fromSource) return { kind: 'source', reason: 'SMS106_FROM_SOURCE=1' };
  let built;
  try {
    built = statSync(path.join(root, BUILT_MARKER)).mtimeMs;
  } catch {
    return { kind: 'source', reason: 'not built' };
  }
  const changed = newestSource(root);
  if (changed && changed.mtimeMs > built) return { kind: 'source', reason: `${changed.file} changed after the build` };
  return { kind: 'dist', reason: 'built' };
}

function newestSource(root) {
  let newest = null;
  const consider = (file) => {
    const mtimeMs = statSync(path.join(root, file)).mtimeMs;
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  for (const source of SOURCES) {
    if (!statSync(path.join(root, source)).isDirectory()) {
      consider(source);
      continue;
    }
    for (const entry of readdirSync(path.join(root, source), { recursive: true })) {
      if (/\.(ts|js|json)$/.test(entry)) consider(path.join(source, entry));
    }
  }
  return newest;
}
