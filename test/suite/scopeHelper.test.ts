import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HELPER = 'server/services/accounts/scope.ts';

/** Ways of reading a Scope's carrier by hand: `scope.carrierId`, `scope?.carrierId`, `{ carrierId } = scope`. */
const HAND_WRITTEN = [/\bscope\??\.carrierId\b/gi, /\{\s*carrierId\s*\}\s*=\s*(?:[\w.]*\.)?scope\b/gi];

/** Each place outside the helper module that reads a scope's carrier itself, as `file:line: text`. */
export function handWrittenScopeChecks(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [file, source] of files) {
    if (file === HELPER) continue;
    source.split('\n').forEach((line, i) => {
      if (HAND_WRITTEN.some((pattern) => line.match(pattern))) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

function serverSources(): Map<string, string> {
  return new Map(
    readdirSync(path.join(root, 'server'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.posix.join('server', file.split(path.sep).join('/')))
      .map((file) => [file, readFileSync(path.join(root, file), 'utf8')]),
  );
}

describe('the scope helper module', () => {
  it('finds a hand-written check, so the walk below can fail', () => {
    const planted = new Map([
      ['server/services/x.ts', "if (scope.carrierId !== null) q.andWhere('f.root_carrier_id = :c');"],
      ['server/routes/y.ts', 'const own = actor.scope?.carrierId;\nconst { carrierId } = inputs.scope;'],
      [HELPER, 'return scope.carrierId === null;'],
    ]);
    expect(handWrittenScopeChecks(planted)).to.deep.equal([
      "server/services/x.ts:1: if (scope.carrierId !== null) q.andWhere('f.root_carrier_id = :c');",
      'server/routes/y.ts:1: const own = actor.scope?.carrierId;',
      'server/routes/y.ts:2: const { carrierId } = inputs.scope;',
    ]);
  });

  it("is the only module in server/ that reads a scope's carrier", () => {
    const sources = serverSources();
    expect(sources.get(HELPER)).to.match(/scope\.carrierId/);
    expect(handWrittenScopeChecks(sources)).to.deep.equal([]);
  });
});
