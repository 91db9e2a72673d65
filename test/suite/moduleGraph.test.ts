import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** server/'s modules, each with the server/ modules it imports (type-only imports too), as repository paths. */
function serverImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = readdirSync(path.join(root, 'server'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.posix.join('server', file.split(path.sep).join('/')));
  for (const file of files) {
    const source = readFileSync(path.join(root, file), 'utf8');
    const specifiers = [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)'(\.{1,2}\/[^']+)'/g)].map(
      (match) => match[1],
    );
    graph.set(
      file,
      specifiers.map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier))),
    );
  }
  return graph;
}

/**
 * Where the module graph breaks the layout's rules (docs/architecture.md): only server/index.ts
 * imports the app, so nothing the app is built from can import it back; and a route module (one
 * the route table, routes/index.ts, registers) never imports another route module; what two
 * pages share is a presenter (server/presenters/) or a service.
 */
function layoutViolations(graph: Map<string, string[]>): string[] {
  const violations: string[] = [];
  const routeModules = new Set(
    (graph.get('server/routes/index.ts') ?? []).filter((target) => target.startsWith('server/routes/')),
  );
  for (const [file, targets] of graph) {
    for (const target of targets) {
      if (target === 'server/app.ts' && file !== 'server/index.ts') violations.push(`${file} imports server/app.ts`);
      if (routeModules.has(file) && routeModules.has(target)) violations.push(`route ${file} imports route ${target}`);
    }
  }
  return violations;
}

/**
 * The import cycles among the modules under `folder` (docs/architecture.md: the importer's passes
 * share a core and never import each other back), found by a depth-first walk: each import that
 * leads back into the walk's path gives one, as the path it closes with its first module repeated
 * at the end. None when the folder's modules import one another without a cycle.
 */
function cyclesWithin(graph: Map<string, string[]>, folder: string): string[] {
  const inFolder = (file: string) => file.startsWith(folder);
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]) => {
    const at = path.indexOf(file);
    if (at >= 0) {
      cycles.push([...path.slice(at), file].join(' -> '));
      return;
    }
    if (done.has(file)) return;
    for (const target of graph.get(file) ?? []) if (inFolder(target)) visit(target, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) if (inFolder(file)) visit(file, []);
  return cycles;
}

describe('the module graph of server/', () => {
  it('reads the imports it checks: the route table registers route modules and index.ts imports the app', () => {
    const graph = serverImports();
    expect(graph.get('server/index.ts')).to.include('server/app.ts');
    expect(graph.get('server/routes/index.ts')).to.include.members([
      'server/routes/findings.ts',
      'server/routes/notices.ts',
    ]);
  });

  it('has no module but server/index.ts importing app.ts, and no route module importing another', () => {
    expect(layoutViolations(serverImports())).to.deep.equal([]);
  });

  it('has no import cycle among the modules of services/import/ and of its passes in job/', () => {
    const graph = serverImports();
    expect(graph.get('server/services/import/importer.ts')).to.include('server/services/import/job/core.ts');
    expect(cyclesWithin(graph, 'server/services/import/')).to.deep.equal([]);
  });

  it('names an import cycle inside a folder, and passes over one that leaves it', () => {
    const graph = new Map([
      ['server/a/run.ts', ['server/a/core.ts', 'server/a/pass.ts']],
      ['server/a/pass.ts', ['server/a/core.ts', 'server/b/x.ts']],
      ['server/a/core.ts', ['server/a/pass.ts']],
      ['server/b/x.ts', ['server/a/run.ts']],
    ]);
    expect(cyclesWithin(graph, 'server/a/')).to.deep.equal([
      'server/a/core.ts -> server/a/pass.ts -> server/a/core.ts',
    ]);
  });

  it('names a route importing a route, and a module importing the app, when there are any', () => {
    const graph = new Map([
      ['server/index.ts', ['server/app.ts']],
      ['server/auth.ts', ['server/app.ts']],
      ['server/routes/index.ts', ['server/routes/agents.ts', 'server/routes/findings.ts', 'server/context.ts']],
      [
        'server/routes/agents.ts',
        ['server/routes/findings.ts', 'server/routes/shared.ts', 'server/presenters/findings.ts'],
      ],
      ['server/routes/findings.ts', ['server/routes/shared.ts', 'server/errors.ts']],
    ]);
    expect(layoutViolations(graph)).to.deep.equal([
      'server/auth.ts imports server/app.ts',
      'route server/routes/agents.ts imports route server/routes/findings.ts',
    ]);
  });
});
