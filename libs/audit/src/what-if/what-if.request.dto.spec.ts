import 'reflect-metadata';
import { ValidationFailedException } from '../../../platform/src/http/problem';
import { createValidationPipe } from '../../../platform/src/http/validation';
import { WhatIfRequestDto } from './what-if.request.dto';

const pipe = createValidationPipe();
const ACCELERATOR = [
  { fromAttainmentBps: 0, rateBps: 1000 },
  { fromAttainmentBps: 10000, rateBps: 2000 },
];

async function validate(override: Record<string, unknown>): Promise<WhatIfRequestDto> {
  return (await pipe.transform(
    { period: '2026-01', planOverrides: [{ planId: 'P1', ...override }] },
    { type: 'body', metatype: WhatIfRequestDto },
  )) as WhatIfRequestDto;
}

/** The fields a refused override is blamed on. */
async function refusedFields(override: Record<string, unknown>): Promise<string[]> {
  try {
    await validate(override);
  } catch (e) {
    if (e instanceof ValidationFailedException) return [...new Set(e.errors.map((x) => x.field))];
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(override)}`);
}

describe('WhatIfRequestDto: draft terms validated as for plan creation', () => {
  it('accepts the five new terms, and null for each of them', async () => {
    const body = await validate({
      tiers: ACCELERATOR,
      overrideRateBps: 200,
      holdbackBps: 0,
      primaryDistributorSalesEarn: true,
      secondaryRateBps: 300,
    });
    expect(body.planOverrides[0]).toMatchObject({ tiers: ACCELERATOR, holdbackBps: 0, secondaryRateBps: 300 });
    const removed = await validate({
      tiers: null,
      overrideRateBps: null,
      holdbackBps: null,
      primaryDistributorSalesEarn: null,
      secondaryRateBps: null,
    });
    expect(removed.planOverrides[0]).toMatchObject({ tiers: null, overrideRateBps: null, secondaryRateBps: null });
  });

  it('accepts tiers at the draft rateBps, and tiers without a draft rateBps (checked against the recorded plan later)', async () => {
    await validate({ rateBps: 800, tiers: [{ fromAttainmentBps: 0, rateBps: 800 }] });
    await validate({ tiers: [{ fromAttainmentBps: 0, rateBps: 1234 }] });
  });

  it.each([
    ['an empty list', { tiers: [] }],
    ['21 tiers', { tiers: Array.from({ length: 21 }, (_, i) => ({ fromAttainmentBps: i * 100, rateBps: 1000 })) }],
    ['a first tier not from 0', { tiers: [{ fromAttainmentBps: 5000, rateBps: 1000 }] }],
    [
      'a first tier at another rate than the draft rateBps',
      { rateBps: 1000, tiers: [{ fromAttainmentBps: 0, rateBps: 1200 }] },
    ],
    [
      'fromAttainmentBps not strictly ascending',
      {
        tiers: [
          { fromAttainmentBps: 0, rateBps: 1000 },
          { fromAttainmentBps: 10000, rateBps: 1500 },
          { fromAttainmentBps: 10000, rateBps: 2000 },
        ],
      },
    ],
    ['fromAttainmentBps over 1,000,000', { tiers: [ACCELERATOR[0], { fromAttainmentBps: 1_000_001, rateBps: 1500 }] }],
    ['a rate over 10000', { tiers: [ACCELERATOR[0], { fromAttainmentBps: 10000, rateBps: 10001 }] }],
    ['a tier that is not an object', { tiers: [ACCELERATOR[0], 7] }],
    ['not a list', { tiers: ACCELERATOR[0] }],
    ['an unknown tier field', { tiers: [{ ...ACCELERATOR[0], upTo: 5 }] }],
  ])('refuses %s, naming planOverrides.0.tiers', async (_, override) => {
    const fields = await refusedFields(override);
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(field).toMatch(/^planOverrides\.0\.tiers(\.|$)/);
  });

  it.each([
    ['overrideRateBps', 10001],
    ['holdbackBps', -1],
    ['secondaryRateBps', 1.5],
    ['primaryDistributorSalesEarn', 'yes'],
    ['overrideRateBps', '200'],
  ])('refuses %s = %p, naming it', async (field, value) => {
    expect(await refusedFields({ [field]: value })).toEqual([`planOverrides.0.${field}`]);
  });
});
