/**
 * Architecture rules checked by `npm run lint` (`depcruise apps libs --config .dependency-cruiser.js`).
 * Domain code (decisions, state, projections, event contracts, the eventsourcing core and the
 * shared kernel) stays framework-free and never reaches into infrastructure.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * dependency-cruiser only reads .ts files when it supports the installed TypeScript; otherwise it
 * silently cruises 0 modules and reports "no violations". Fail loudly instead.
 */
function assertTypeScriptIsSupported() {
  let meta;
  try {
    const bin = fs.realpathSync(process.argv[1] ?? '');
    meta = require(path.resolve(path.dirname(bin), '..', 'src', 'meta.cjs'));
  } catch {
    return; // not run from the depcruise CLI: nothing to check
  }
  const range = meta?.supportedTranspilers?.typescript;
  if (!range) return;
  const typescriptVersion = require('typescript/package.json').version;
  const semver = require('semver');
  if (!semver.satisfies(semver.coerce(typescriptVersion), range)) {
    throw new Error(
      `dependency-cruiser ${meta.version} supports typescript ${range}, but typescript ${typescriptVersion} is ` +
        'installed: it would scan no .ts file. Use a dependency-cruiser that supports this TypeScript (17.x supports <7).',
    );
  }
}
assertTypeScriptIsSupported();

const DOMAIN = {
  path: ['\\.(decide|state|projection|events)\\.ts$', '^libs/(eventsourcing|shared-kernel)/src/'],
  pathNot: ['/testing/', '\\.spec\\.ts$'],
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-framework-free',
      comment: 'Domain code must not depend on NestJS, TypeORM, validation, the pg driver or EventStoreDB.',
      severity: 'error',
      from: DOMAIN,
      to: { path: 'node_modules/(@nestjs|typeorm|class-validator|class-transformer|pg|@eventstore)/' },
    },
    {
      name: 'domain-does-not-import-infrastructure',
      comment:
        'Domain code must not import entities, projectors, handlers, HTTP, modules, migrations or infrastructure libraries.',
      severity: 'error',
      from: DOMAIN,
      to: {
        path: [
          '\\.(entity|projector|handler|http-controller|request\\.dto|response\\.dto|module|migration)\\.ts$',
          '^libs/(platform|projections|bootstrap|eventstore-postgres|eventstore-esdb)/',
        ],
      },
    },
    {
      name: 'no-circular',
      comment: 'Circular dependencies make modules hard to reason about and to load.',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import must resolve to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules is not excluded (only not followed): excluding it would drop every package
    // dependency from the graph and domain-is-framework-free could never match.
    exclude: { path: '^(dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
