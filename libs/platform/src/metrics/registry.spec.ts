import { escapeLabelValue, Registry } from './registry';

/** The sample lines (no comments) of an exposition, as name{labels} → value. */
function samples(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}

describe('metrics registry (Prometheus text format 0.0.4)', () => {
  it('given a counter with labels, when incremented, then HELP, TYPE and one line per label set', () => {
    const registry = new Registry();
    const c = registry.counter('commands_total', 'Commands run.', ['command', 'outcome']);
    c.inc({ command: 'BookSale', outcome: 'accepted' });
    c.inc({ command: 'BookSale', outcome: 'accepted' }, 2);
    c.inc({ command: 'CancelOrder', outcome: 'rejected' });
    expect(registry.render()).toBe(
      [
        '# HELP commands_total Commands run.',
        '# TYPE commands_total counter',
        'commands_total{command="BookSale",outcome="accepted"} 3',
        'commands_total{command="CancelOrder",outcome="rejected"} 1',
        '',
      ].join('\n'),
    );
    expect(c.get({ command: 'BookSale', outcome: 'accepted' })).toBe(3);
  });

  it('given label values with a backslash, a quote and a newline, then they are escaped', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const registry = new Registry();
    registry.counter('x_total', 'Help with a \\ and a\nnewline.', ['route']).inc({ route: '/a"b\n' });
    const text = registry.render();
    expect(text).toContain('# HELP x_total Help with a \\\\ and a\\nnewline.');
    expect(text).toContain('x_total{route="/a\\"b\\n"} 1');
    // one sample per line: the newline did not split it
    expect(text.trimEnd().split('\n')).toHaveLength(3);
  });

  it('given a histogram, when observed, then cumulative _bucket lines up to le="+Inf", _sum and _count', () => {
    const registry = new Registry();
    const h = registry.histogram('command_duration_seconds', 'Time.', ['command'], [0.1, 0.01, 1]);
    for (const v of [0.005, 0.01, 0.05, 0.5, 3]) h.observe({ command: 'BookSale' }, v);
    const text = registry.render();
    const s = samples(text);
    expect(text).toContain('# TYPE command_duration_seconds histogram');
    expect(s.get('command_duration_seconds_bucket{command="BookSale",le="0.01"}')).toBe('2'); // le is inclusive
    expect(s.get('command_duration_seconds_bucket{command="BookSale",le="0.1"}')).toBe('3');
    expect(s.get('command_duration_seconds_bucket{command="BookSale",le="1"}')).toBe('4');
    expect(s.get('command_duration_seconds_bucket{command="BookSale",le="+Inf"}')).toBe('5');
    expect(Number(s.get('command_duration_seconds_sum{command="BookSale"}'))).toBeCloseTo(3.565, 10);
    expect(s.get('command_duration_seconds_count{command="BookSale"}')).toBe('5');
    // buckets in ascending order
    const les = [...s.keys()].filter((k) => k.includes('_bucket')).map((k) => /le="([^"]+)"/.exec(k)?.[1]);
    expect(les).toEqual(['0.01', '0.1', '1', '+Inf']);
  });

  it('given a gauge, then it goes up and down', () => {
    const registry = new Registry();
    const g = registry.gauge('in_flight', 'Now.');
    g.inc();
    g.inc();
    g.dec();
    expect(registry.render()).toContain('\nin_flight 1\n');
  });

  it('given wrong usage, then it throws rather than writing an invalid exposition', () => {
    const registry = new Registry();
    expect(() => registry.counter('bad-name', 'x')).toThrow(/Invalid metric name/);
    expect(() => registry.counter('ok_total', 'x', ['le'])).toThrow(/Invalid label name/);
    const c = registry.counter('c_total', 'x', ['a']);
    expect(() => registry.counter('c_total', 'x')).toThrow(/twice/);
    expect(() => c.inc({})).toThrow(/needs label a/);
    expect(() => c.inc({ a: '1', b: '2' })).toThrow(/no label b/);
    expect(() => c.inc({ a: '1' }, -1)).toThrow(/only go up/);
    expect(() => registry.histogram('h', 'x', [], [])).toThrow(/buckets/);
  });

  it('given every metric type, then each line is a comment or a valid sample', () => {
    const registry = new Registry();
    registry.counter('a_total', 'A.', ['k']).inc({ k: 'v' });
    registry.gauge('b', 'B.').set({}, NaN);
    registry.histogram('c_seconds', 'C.', [], [1]).observe({}, 2);
    const sample =
      /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$/;
    for (const line of registry.render().trimEnd().split('\n')) {
      if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      expect(line).toMatch(sample);
    }
    expect(registry.render()).toContain('b NaN');
  });
});
