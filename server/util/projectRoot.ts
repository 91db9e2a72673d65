import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder (where package.json, views/, public/ and seeds/ are), whether this module
 * runs from its TypeScript source (server/util/) or compiled (dist/server/util/).
 */
const twoUp = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const projectRoot = path.basename(twoUp) === 'dist' ? path.dirname(twoUp) : twoUp;

/**
 * The tsconfig a worker thread registers tsx with when the app runs from its TypeScript source;
 * null when it runs compiled, where workers load the compiled modules directly.
 */
export const workerTsconfig: string | null = import.meta.url.endsWith('.ts')
  ? path.join(projectRoot, 'tsconfig.json')
  : null;
