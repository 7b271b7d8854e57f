import { Writable } from 'node:stream';
import { AppLogger } from './app-logger';
import { currentLogContext, parseCorrelationId, runWithLogContext } from './correlation';

describe('correlation ids', () => {
  it.each(['abc', 'trace-42', '0b6f1c3e-6d53-4a55-9a0f-2f0a9d7d9f1e', 'a.b:c_d-e', 'x'.repeat(100)])(
    'given the sane header %s, then it is kept',
    (header) => expect(parseCorrelationId(header)).toBe(header),
  );

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(101)],
    ['a space', 'a b'],
    ['a newline (log injection)', 'abc\n{"level":"fatal"}'],
    ['a quote', 'a"b'],
    ['a comma (two headers joined)', 'a,b'],
    ['non-ASCII', 'idé'],
  ])('given a header with %s, then it is refused (a new id is made)', (_what, header) =>
    expect(parseCorrelationId(header)).toBeNull(),
  );

  it('given no header or several values, then null', () => {
    expect(parseCorrelationId(undefined)).toBeNull();
    expect(parseCorrelationId(['a', 'b'])).toBeNull();
  });
});

describe('AppLogger (JSON lines)', () => {
  function capture(): { logger: AppLogger; lines: () => Record<string, unknown>[] } {
    let out = '';
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = new AppLogger({ level: 'info', destination, base: {} });
    return {
      logger,
      lines: () =>
        out
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as Record<string, unknown>),
    };
  }

  it('given a log inside a request context, then the line carries its correlation id; outside, none', async () => {
    const { logger, lines } = capture();
    await runWithLogContext({ correlationId: 'req-1' }, async () => {
      await new Promise((r) => setTimeout(r, 1)); // across an await
      expect(currentLogContext()?.correlationId).toBe('req-1');
      logger.log('inside', 'Orders');
    });
    logger.warn('outside', 'Main');
    const [inside, outside] = lines();
    expect(inside).toMatchObject({ level: 'info', msg: 'inside', context: 'Orders', correlationId: 'req-1' });
    expect(typeof inside?.time).toBe('number');
    expect(outside).toMatchObject({ level: 'warn', msg: 'outside', context: 'Main' });
    expect(outside).not.toHaveProperty('correlationId');
  });

  it('given an object message, then its fields are in the line; errors keep their stack', () => {
    const { logger, lines } = capture();
    logger.log({ msg: 'request', method: 'GET', status: 200 }, 'Http');
    logger.error('failed', 'Error: boom\n    at x', 'Main');
    logger.debug('not shown at info');
    const [access, error, ...rest] = lines();
    expect(access).toMatchObject({ msg: 'request', method: 'GET', status: 200, context: 'Http', level: 'info' });
    expect(error).toMatchObject({ msg: 'failed', level: 'error', context: 'Main', stack: 'Error: boom\n    at x' });
    expect(rest).toEqual([]);
  });
});
