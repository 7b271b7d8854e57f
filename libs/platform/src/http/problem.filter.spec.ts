import { EventStoreUnavailableError } from '../../../eventsourcing/src/errors';
import { isDependencyUnavailable } from './problem.filter';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable: a lost or refused database connection is a 503, not a 500', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    [
      'a server shutting down (57P01 admin_shutdown)',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    [
      "TypeORM's QueryFailedError around one",
      Object.assign(new Error('some wrapped message'), { driverError: { code: '57P01' } }),
    ],
    ['a connect that tried several addresses', new AggregateError([withCode('connect', 'ECONNREFUSED')], '')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['the event store', new EventStoreUnavailableError('down')],
  ])('%s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['not an error', 'ECONNREFUSED'],
  ])('but not %s', (_, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
  });
});
