/**
 * Architecture rules checked by `npm run lint` (dependency-cruiser 16).
 * Domain code (decisions, state, projections, event contracts, the eventsourcing core and the
 * shared kernel) stays framework-free and never reaches into infrastructure.
 */
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
      comment: 'Domain code must not import entities, projectors, handlers, HTTP, modules, migrations or infrastructure libraries.',
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
    exclude: { path: '^(dist|node_modules|data)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
