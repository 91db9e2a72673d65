#!/usr/bin/env node
// The `sms106` command (docs/cli.md). It runs the compiled JavaScript in dist/ when
// that build is current, else the TypeScript sources through tsx (bin/entry.js decides).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseEntry } from './entry.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entry = chooseEntry(root, { fromSource: process.env.SMS106_FROM_SOURCE === '1' });
let main;
if (entry.kind === 'dist') {
  ({ main } = await import(pathToFileURL(path.join(root, 'dist', 'server', 'cli.js')).href));
} else {
  // The project's tsconfig is named explicitly so decorators compile the same from any directory.
  const { register } = await import('tsx/esm/api');
  register({ tsconfig: path.join(root, 'tsconfig.json') });
  ({ main } = await import('../server/cli.ts'));
}
process.exitCode = await main(process.argv.slice(2));
