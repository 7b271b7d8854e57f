import { BodyDepthPipe, jsonDepth, MAX_BODY_DEPTH } from './body-depth.pipe';
import { ValidationFailedException } from './problem';

describe('request body guard', () => {
  const pipe = new BodyDepthPipe();
  const body = { type: 'body' };

  it('measures depth without recursion, even 100,000 levels deep', () => {
    expect(jsonDepth({ a: { b: [1, { c: 2 }] } }, 10)).toBe(4);
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) as unknown;
    expect(jsonDepth(deep, MAX_BODY_DEPTH)).toBeGreaterThan(MAX_BODY_DEPTH);
  });

  it('refuses bodies nested too deeply and __proto__ keys, and lets normal bodies through', () => {
    const deep = JSON.parse('{"a":'.repeat(40) + '1' + '}'.repeat(40)) as unknown;
    expect(() => pipe.transform(deep, body)).toThrow(ValidationFailedException);
    const proto = JSON.parse('{"orderId":"O1","__proto__":{"admin":true}}') as unknown;
    expect(() => pipe.transform(proto, body)).toThrow(ValidationFailedException);
    expect(({} as { admin?: boolean }).admin).toBeUndefined();
    const ok = { orderId: 'O1', amount: { amount: 1, currency: 'USD' } };
    expect(pipe.transform(ok, body)).toBe(ok);
    expect(pipe.transform(deep, { type: 'query' })).toBe(deep);
  });
});
