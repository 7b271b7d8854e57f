import { isBlank, parseLine } from './parse-line';
import { likelyStreams, matchRoute, pathOf, ROUTES } from './routes';

const line = (o: unknown) => JSON.stringify(o);

describe('import lines', () => {
  it('reads an API command request: method, path with its parameters, body', () => {
    const parsed = parseLine(
      line({ method: 'POST', path: '/orders/O%2F1/payments', body: { paymentId: 'P1' }, actor: 'legacy:erp' }),
      7,
    );
    expect(parsed).toEqual({
      ok: true,
      line: {
        lineNo: 7,
        route: expect.objectContaining({ type: 'ReceivePayment' }),
        params: { id: 'O/1' },
        body: { paymentId: 'P1' },
        actor: 'legacy:erp',
        correlationId: null,
      },
    });
  });

  it('takes the /api/v1 prefix, a trailing slash, a lower-case method and a missing body', () => {
    const parsed = parseLine(line({ method: 'put', path: '/api/v1/salespeople/S1/quotas/2026/', type: 'SetQuota' }), 1);
    expect(parsed.ok && parsed.line.params).toEqual({ id: 'S1', year: '2026' });
    expect(parsed.ok && parsed.line.body).toEqual({});
  });

  it.each([
    ['{not json', 'INVALID_LINE', 400],
    ['[1]', 'INVALID_LINE', 400],
    [line({ method: 'POST', path: '/orders', body: [] }), 'INVALID_LINE', 400],
    [line({ method: 'POST', path: '/orders', body: {}, extra: 1 }), 'INVALID_LINE', 400],
    [line({ method: 'POST', path: 'orders', body: {} }), 'INVALID_LINE', 400],
    [line({ method: 'POST', path: '/orders?x=1', body: {} }), 'INVALID_LINE', 400],
    [line({ method: 'POST', path: '/orders', body: {}, type: 'CreatePlan' }), 'INVALID_LINE', 400],
    [line({ method: 'POST', path: '/orders', body: {}, correlationId: 'has space' }), 'INVALID_LINE', 400],
    [line({ method: 'POST', path: '/nowhere', body: {} }), 'NOT_FOUND', 404],
    [line({ method: 'PUT', path: '/orders', body: {} }), 'METHOD_NOT_ALLOWED', 405],
    [line({ method: 'POST', path: '/periods/2026-01/close', body: {} }), 'NOT_IMPORTABLE', 422],
  ])('refuses %s with %s', (text, code, status) => {
    const parsed = parseLine(text, 3);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.refusal).toMatchObject({ line: 3, code, status });
  });

  it('skips blank lines', () => {
    expect(isBlank('  \t')).toBe(true);
    expect(isBlank('{}')).toBe(false);
  });
});

describe('import routes', () => {
  it('every route matches its own path, with its parameters back', () => {
    for (const route of ROUTES) {
      const params = Object.fromEntries([...route.template.matchAll(/:([a-z]+)/g)].map((m) => [m[1]!, `v-${m[1]}`]));
      const match = matchRoute(route.method, pathOf(route.type, params));
      expect(match).toEqual({ route, params, methodAllowed: true });
    }
  });

  it('names the streams a command will read', () => {
    expect(
      likelyStreams('BookSale', {}, { orderId: 'O1', customerId: 'C1', salesCredits: [{ salespersonId: 'S1' }] }),
    ).toEqual(['order-O1', 'customer-C1', 'salesperson-S1']);
    expect(likelyStreams('SetQuota', { id: 'S1', year: '2026' }, {})).toEqual(['salesperson-S1', 'quota-S1.2026']);
    expect(likelyStreams('SetQuota', { id: 'S1', year: '2026' }, { businessUnit: 'smb' })).toEqual([
      'salesperson-S1',
      'quota-S1.2026.smb',
    ]);
    expect(likelyStreams('ReportSecondarySale', { id: 'D1' }, { saleId: 'SS1' })).toEqual([
      'secondary-sale-SS1',
      'customer-D1',
    ]);
    expect(likelyStreams('ReceivePayment', { id: 'O1' }, { orderId: 'ignored' })).toEqual(['order-O1']);
    expect(likelyStreams('RecordPayout', {}, { salespersonId: 'S1' })).toEqual([
      'salesperson-S1',
      'commission-S1',
      'periods-ledger',
    ]);
  });
});
