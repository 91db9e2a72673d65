#!/usr/bin/env node
// The `sms106` command (docs/cli.md). The product is written in TypeScript and runs through tsx;
// the project's tsconfig is named explicitly so decorators compile the same from any directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../server/cli.ts');
process.exitCode = await main(process.argv.slice(2));
