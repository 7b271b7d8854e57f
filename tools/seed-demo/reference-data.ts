/**
 * The company's people, plans, customers and their sales credits (who is credited on what, from
 * which date), generated from the seed.
 */
import { addDays, daysBetween, periodsBetween } from './calendar';
import {
  type BusinessUnit,
  CHANNEL_PLAN_ID,
  type Credit,
  creditsOn,
  type DemoCustomer,
  type DemoPerson,
  FIELD_PLAN_IDS,
  FIRST_DAY,
  MANAGER_PLAN_ID,
  type PayerProfile,
  TEAMS,
  TIERED_PLAN_ID,
} from './model';
import type { Rng } from './prng';

// prettier-ignore
const FIRST_NAMES = [
  'Amelia', 'Ben', 'Chloe', 'Daniel', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Keiko', 'Liam',
  'Maya', 'Noah', 'Olivia', 'Pavel', 'Quinn', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wes', 'Xenia',
  'Yusuf', 'Zoe', 'Aisha', 'Bruno', 'Carmen', 'Diego', 'Emma', 'Felix', 'Gita', 'Hana', 'Ivan', 'Julia',
  'Kofi', 'Lena', 'Marco', 'Nadia',
];
// prettier-ignore
const LAST_NAMES = [
  'Hart', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Brennan', 'Haddad', 'Kowalski',
  'Ferreira', 'Nguyen', 'Schmidt', 'Rossi', 'Dubois', 'Costa', 'Andersen', 'Murphy', 'Petrov', 'Sato',
  'Mensah', 'Garcia', 'Fischer', 'Kaur', 'Jansen', 'Walsh', 'Romero', 'Becker', 'Nakamura', 'Olsen',
  'Barros', 'Ivanova', 'Keller', 'Duarte', 'Lam', 'Adeyemi', 'Varga', 'Horvat', 'Sousa', 'Bauer',
];
// prettier-ignore
const COMPANY_WORDS = [
  'Northwind', 'Bluepeak', 'Ironbridge', 'Cedar', 'Brightwater', 'Copperfield', 'Silverline', 'Redwood',
  'Harbor', 'Summit', 'Granite', 'Meridian', 'Lumen', 'Keystone', 'Falcon', 'Orchard', 'Atlas', 'Beacon',
  'Crescent', 'Evergreen', 'Foxglove', 'Highland', 'Juniper', 'Kestrel', 'Lakeside', 'Maple', 'Nimbus',
  'Oakridge', 'Pioneer', 'Quarry', 'Riverside', 'Sterling', 'Tidewater', 'Vantage', 'Willow', 'Zephyr',
];
// prettier-ignore
const COMPANY_KINDS = [
  'Logistics', 'Foods', 'Analytics', 'Robotics', 'Health', 'Energy', 'Retail', 'Media', 'Labs', 'Freight',
  'Pharma', 'Textiles', 'Software', 'Systems', 'Dental', 'Motors', 'Outdoor', 'Insurance', 'Capital', 'Studios',
];
const LEGAL_FORMS = ['Inc.', 'Ltd', 'GmbH', 'LLC', 'S.A.', 'B.V.', 'Co.', 'AB', 'plc'];
// prettier-ignore
const PLACES = [
  'Ashford', 'Bramley', 'Carlow', 'Dunmore', 'Elmstead', 'Fairhaven', 'Glenwood', 'Hollis', 'Kingsbridge',
  'Larkhill', 'Millbrook', 'Newport', 'Oakham', 'Pinecrest', 'Redhill', 'Stonebury', 'Thornton', 'Upton',
  'Westfield', 'Yarrow',
];
const PUBLIC_KINDS = [
  (p: string) => `City of ${p}`,
  (p: string) => `${p} County Council`,
  (p: string) => `${p} Regional Health Authority`,
  (p: string) => `${p} State University`,
  (p: string) => `${p} Transit Authority`,
  (p: string) => `${p} Water Board`,
];

/** Names never repeat: after many collisions a name gets a number (very rare). */
function nameMaker(rng: Rng, make: () => string): () => string {
  const seen = new Set<string>();
  return () => {
    let name = make();
    for (let attempt = 0; seen.has(name) && attempt < 50; attempt++) name = make();
    for (let n = 2; seen.has(name); n++) name = `${name.replace(/ \(\d+\)$/, '')} (${n})`;
    seen.add(name);
    return name;
  };
}

function randomDate(rng: Rng, first: string, last: string): string {
  return addDays(first, rng.int(0, daysBetween(first, last)));
}

export function buildPeople(rng: Rng): DemoPerson[] {
  const nextName = nameMaker(rng, () => `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`);
  const idOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '.');
  const people: DemoPerson[] = [];
  for (const team of TEAMS) {
    const managerName = nextName();
    const manager: DemoPerson = {
      salespersonId: idOf(managerName),
      name: managerName,
      teamId: team.teamId,
      managerId: null,
      hiredOn: randomDate(rng, '2024-01-08', '2024-04-30'),
      terminatedOn: null,
      assignments: [],
    };
    people.push(manager);
    for (let i = 0; i < 10; i++) {
      const name = nextName();
      // Most of the team joined in 2024, a few in 2025 (the newest ones have fewer customers).
      const hiredOn = rng.chance(0.7)
        ? randomDate(rng, '2024-02-01', '2024-12-15')
        : randomDate(rng, '2025-01-06', '2025-09-30');
      people.push({
        salespersonId: idOf(name),
        name,
        teamId: team.teamId,
        managerId: manager.salespersonId,
        hiredOn,
        terminatedOn: null,
        assignments: [],
      });
    }
  }
  return people;
}

function planFor(person: DemoPerson, indexInTeam: number): string {
  return person.teamId === 'north'
    ? 'PLAN-BOOK-8'
    : person.teamId === 'south'
      ? 'PLAN-COLL-5'
      : indexInTeam % 2 === 0
        ? 'PLAN-BOOK-6-ENT'
        : 'PLAN-COLL-7-ACC';
}

/** The people the richer plans and channels of docs/plans-and-channels.md are about. */
export interface DemoRoles {
  /** On the quota accelerator (tiers, holdback) from the day they were hired: one in north, one in west. */
  readonly tiered: readonly DemoPerson[];
  /** On the channel plan; credited on both distributors. */
  readonly channel: DemoPerson;
  /** Shares the second distributor (40 %). */
  readonly channelPartner: DemoPerson;
  /** Moved to another plan from July 2026, recorded late (in October), then recalculated. */
  readonly corrected: DemoPerson;
  /** The team whose quotas are set per business unit. */
  readonly unitQuotaTeam: string;
}

/** The team whose quotas are set per business unit. */
export const UNIT_QUOTA_TEAM = 'west';

/**
 * Who gets the richer plans. The salespeople on the tiered plan (one in north, one in west) are the
 * ones a third of the way up their team's ranking by number of accounts: every order crediting them
 * is sent in one chain (their tiers depend on the order of their sales), which should stay shorter
 * than one sender's share of all the orders. The channel salesperson and the one whose plan is
 * corrected are in south.
 */
export function chooseRoles(rng: Rng, reps: readonly DemoPerson[], customers: readonly DemoCustomer[]): DemoRoles {
  const accounts = new Map<string, number>();
  for (const c of customers) {
    for (const id of new Set(c.history.flatMap((h) => h.credits.map((x) => x.salespersonId))))
      accounts.set(id, (accounts.get(id) ?? 0) + 1);
  }
  const stayers = (teamId: string, hiredBefore: string) =>
    reps.filter((r) => r.teamId === teamId && r.terminatedOn === null && r.hiredOn < hiredBefore);
  const tiered = ['north', UNIT_QUOTA_TEAM].map((teamId) => {
    const ranked = stayers(teamId, '2025-01-01').sort(
      (a, b) =>
        (accounts.get(a.salespersonId) ?? 0) - (accounts.get(b.salespersonId) ?? 0) ||
        (a.salespersonId < b.salespersonId ? -1 : 1),
    );
    return ranked[Math.floor(ranked.length / 3)] as DemoPerson;
  });
  const south = rng.shuffle(stayers('south', '2025-01-01'));
  const [channel, corrected] = south as [DemoPerson, DemoPerson];
  const channelPartner = rng.pick(stayers('south', '2026-01-01').filter((r) => r !== channel && r !== corrected));
  return { tiered, channel, channelPartner, corrected, unitQuotaTeam: UNIT_QUOTA_TEAM };
}

export function assignPlans(rng: Rng, people: readonly DemoPerson[], roles: DemoRoles): void {
  const reps = people.filter((p) => p.managerId !== null);
  const special = new Set([...roles.tiered, roles.channel, roles.corrected]);
  const indexInTeam = new Map<string, number>();
  for (const rep of reps) {
    const i = indexInTeam.get(rep.teamId) ?? 0;
    indexInTeam.set(rep.teamId, i + 1);
    const first = roles.tiered.includes(rep)
      ? TIERED_PLAN_ID
      : rep === roles.channel
        ? CHANNEL_PLAN_ID
        : planFor(rep, i);
    rep.assignments.push({ assignmentId: `A-${rep.salespersonId}-1`, planId: first, effectiveFrom: rep.hiredOn });
  }
  // A third of the reps change plan in the middle of a month (the 16th), among the field plans.
  for (const rep of rng.shuffle(reps).slice(0, 10)) {
    const period = rng.pick(periodsBetween('2025-09', '2026-06'));
    const effectiveFrom = `${period}-16`;
    if (special.has(rep)) continue;
    if (effectiveFrom <= addDays(rep.hiredOn, 30)) continue;
    if (rep.terminatedOn !== null && effectiveFrom >= rep.terminatedOn) continue;
    const current = rep.assignments[0]!.planId;
    const next = rng.pick(FIELD_PLAN_IDS.filter((id) => id !== current));
    rep.assignments.push({ assignmentId: `A-${rep.salespersonId}-2`, planId: next, effectiveFrom });
  }
  // The managers earn an override on their reports' sales: north and west from their hiring, south from 2026.
  for (const manager of people.filter((p) => p.managerId === null)) {
    manager.assignments.push({
      assignmentId: `A-${manager.salespersonId}-1`,
      planId: MANAGER_PLAN_ID,
      effectiveFrom: manager.teamId === 'south' ? '2026-01-01' : manager.hiredOn,
    });
  }
}

/**
 * Two distributors (POST /distributors), buying like customers (their orders are sell-in) from
 * their first day: one for small businesses credited to the channel salesperson, one for the
 * public sector shared 60/40 with a teammate.
 */
export function buildDistributors(roles: DemoRoles): DemoCustomer[] {
  return [
    {
      customerId: 'D-0001',
      distributor: true,
      name: 'Meridian Channel Partners Ltd',
      businessUnit: 'smb',
      paymentTermsDays: 45,
      creditLimit: null,
      profile: 'prompt',
      since: '2025-09-01',
      weight: 5,
      history: [
        {
          effectiveFrom: null,
          reassignmentId: null,
          credits: [{ salespersonId: roles.channel.salespersonId, splitBps: 10_000 }],
        },
      ],
    },
    {
      customerId: 'D-0002',
      distributor: true,
      name: 'Atlas Public Sector Resellers B.V.',
      businessUnit: 'public',
      paymentTermsDays: 60,
      creditLimit: null,
      profile: 'late',
      since: '2026-02-02',
      weight: 4,
      history: [
        {
          effectiveFrom: null,
          reassignmentId: null,
          credits: [
            { salespersonId: roles.channel.salespersonId, splitBps: 6_000 },
            { salespersonId: roles.channelPartner.salespersonId, splitBps: 4_000 },
          ],
        },
      ],
    },
  ];
}

export function buildCustomers(rng: Rng, reps: readonly DemoPerson[]): DemoCustomer[] {
  const companyName = nameMaker(
    rng,
    () => `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_KINDS)} ${rng.pick(LEGAL_FORMS)}`,
  );
  const publicName = nameMaker(rng, () => rng.pick(PUBLIC_KINDS)(rng.pick(PLACES)));
  const owners = rng.shuffle(reps);
  const customers: DemoCustomer[] = [];
  /** May this rep be credited on sales from `since` on (hired well before, not leaving soon)? */
  const available = (rep: DemoPerson, since: string) =>
    addDays(rep.hiredOn, 14) <= since && (rep.terminatedOn === null || addDays(since, 60) < rep.terminatedOn);
  for (let i = 0; i < 300; i++) {
    const businessUnit = rng.weighted<BusinessUnit>({ enterprise: 25, smb: 55, public: 20 });
    const name = businessUnit === 'public' ? publicName() : companyName();
    // A quarter are new logos, won during the story; the others already buy when it starts.
    let since = rng.chance(0.25) ? randomDate(rng, FIRST_DAY, '2026-09-30') : FIRST_DAY;
    let owner = owners[i % owners.length] as DemoPerson;
    if (owner.terminatedOn !== null && addDays(since, 60) >= owner.terminatedOn) {
      owner = rng.pick(reps.filter((r) => r.teamId === owner.teamId && r.terminatedOn === null));
    }
    if (addDays(owner.hiredOn, 14) > since) since = addDays(owner.hiredOn, rng.int(14, 45));
    const teammates = rng.shuffle(reps.filter((r) => r.teamId === owner.teamId && r !== owner && available(r, since)));
    const shape = rng.weighted({ single: 60, pair: 30, three: 10 });
    let credits: Credit[];
    if (shape === 'three' && teammates.length >= 2) {
      credits = [
        { salespersonId: owner.salespersonId, splitBps: 5000 },
        { salespersonId: teammates[0]!.salespersonId, splitBps: 3000 },
        { salespersonId: teammates[1]!.salespersonId, splitBps: 2000 },
      ];
    } else if (shape !== 'single' && teammates.length >= 1) {
      credits = [
        { salespersonId: owner.salespersonId, splitBps: 6000 },
        { salespersonId: teammates[0]!.salespersonId, splitBps: 4000 },
      ];
    } else {
      credits = [{ salespersonId: owner.salespersonId, splitBps: 10_000 }];
    }
    const profile = rng.weighted<PayerProfile>(
      businessUnit === 'enterprise'
        ? { prompt: 55, late: 30, installments: 12, bad: 3 }
        : businessUnit === 'smb'
          ? { prompt: 55, late: 20, installments: 10, bad: 15 }
          : { prompt: 30, late: 60, installments: 8, bad: 2 },
    );
    const paymentTermsDays =
      businessUnit === 'enterprise'
        ? rng.pick([30, 45, 60])
        : businessUnit === 'smb'
          ? rng.pick([14, 30])
          : rng.pick([45, 60, 90]);
    const creditLimit =
      businessUnit === 'enterprise' ? 200_000_000 : businessUnit === 'smb' ? rng.pick([2_500_000, 5_000_000]) : null;
    customers.push({
      customerId: `C-${String(i + 1).padStart(4, '0')}`,
      name,
      businessUnit,
      paymentTermsDays,
      creditLimit,
      profile,
      since,
      weight:
        Math.min(12, rng.logNormal(1, 0.8)) * (businessUnit === 'smb' ? 1.4 : businessUnit === 'public' ? 0.8 : 1),
      history: [{ effectiveFrom: null, reassignmentId: null, credits }],
    });
  }
  return customers;
}

/** Accounts of a leaver go to a teammate the day after they leave; a few others change hands too. */
export function reassignCredits(rng: Rng, reps: readonly DemoPerson[], customers: readonly DemoCustomer[]): void {
  const leavers = reps.filter((r) => r.terminatedOn !== null);
  for (const leaver of leavers) {
    const effectiveFrom = addDays(leaver.terminatedOn as string, 1);
    const successor = rng.pick(
      reps.filter((r) => r.teamId === leaver.teamId && r.terminatedOn === null && r.hiredOn < leaver.terminatedOn!),
    );
    for (const customer of customers) {
      const current = creditsOn(customer, effectiveFrom);
      if (!current.some((c) => c.salespersonId === leaver.salespersonId)) continue;
      const merged = new Map<string, number>();
      for (const c of current) {
        const who = c.salespersonId === leaver.salespersonId ? successor.salespersonId : c.salespersonId;
        merged.set(who, (merged.get(who) ?? 0) + c.splitBps);
      }
      customer.history.push({
        effectiveFrom,
        reassignmentId: `RA-${customer.customerId}-${effectiveFrom}`,
        credits: [...merged].map(([salespersonId, splitBps]) => ({ salespersonId, splitBps })),
      });
    }
  }
  // A few voluntary changes: an account handed over, or shared with a teammate.
  const stayers = new Set(reps.filter((r) => r.terminatedOn === null).map((r) => r.salespersonId));
  const candidates = rng.shuffle(
    customers.filter((c) => c.history.length === 1 && c.history[0]!.credits.every((x) => stayers.has(x.salespersonId))),
  );
  for (const customer of candidates.slice(0, 6)) {
    const effectiveFrom = `${rng.pick(periodsBetween('2025-09', '2026-09'))}-01`;
    if (effectiveFrom <= customer.since) continue;
    const current = customer.history[0]!.credits;
    const owner = reps.find((r) => r.salespersonId === current[0]!.salespersonId) as DemoPerson;
    const teammates = reps.filter(
      (r) =>
        r.teamId === owner.teamId &&
        stayers.has(r.salespersonId) &&
        r.hiredOn < effectiveFrom &&
        !current.some((c) => c.salespersonId === r.salespersonId),
    );
    if (teammates.length === 0) continue;
    const taker = rng.pick(teammates);
    const credits =
      current.length === 1 && rng.chance(0.5)
        ? [
            { salespersonId: owner.salespersonId, splitBps: 5000 },
            { salespersonId: taker.salespersonId, splitBps: 5000 },
          ]
        : [{ salespersonId: taker.salespersonId, splitBps: 10_000 }];
    customer.history.push({ effectiveFrom, reassignmentId: `RA-${customer.customerId}-${effectiveFrom}`, credits });
  }
}
