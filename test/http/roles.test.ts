import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { ROLES } from '../../server/entities/User.ts';
import { ROUTES } from '../../server/routes/index.ts';

const readme = path.join(import.meta.dirname, '..', '..', 'README.md');

describe('declared route roles', () => {
  it('every route that changes something, and every admin page, names the roles that may use it', () => {
    // Open to any signed-in user on purpose: leaving.
    const openOnPurpose = new Set(['post /logout', 'post /login']);
    const undeclared = ROUTES.filter(
      (route) => (route.method !== 'get' || route.path.startsWith('/admin')) && !Array.isArray(route.access),
    )
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !openOnPurpose.has(route));
    expect(undeclared).to.deep.equal([]);
    const adminRoutes = ROUTES.filter((route) => route.path.startsWith('/admin'));
    expect(
      adminRoutes.filter((route) => JSON.stringify(route.access) !== '["admin"]').map((route) => route.path),
    ).to.deep.equal([]);
  });

  it('README\'s "who may change what" table is the declarations, row for row', async () => {
    const text = await readFile(readme, 'utf8');
    const block = /<!-- roles:begin -->([\s\S]*?)<!-- roles:end -->/.exec(text);
    expect(block, 'README has the roles table').to.not.equal(null);
    const documented = block![1]
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split('|')
          .slice(1, 5)
          .map((cell) => cell.trim())
          .join(' '),
      );
    const declared = ROUTES.filter((route) => route.method === 'post' || Array.isArray(route.access)).map((route) => {
      const cells = ROLES.map((role) => (!Array.isArray(route.access) || route.access.includes(role) ? '✓' : '—'));
      return [`\`${route.method.toUpperCase()} ${route.path}\``, ...cells].join(' ');
    });
    expect(ROLES).to.deep.equal(['admin', 'carrier', 'regulator']);
    expect(documented).to.deep.equal(declared);
  });
});
