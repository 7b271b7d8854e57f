/**
 * The channel (docs/plans-and-channels.md § Distributors): the distributors' registrations, and
 * the secondary sales (sell-through) each reports every month from its first day, credited to its
 * sales credits on the day it sold. The first distributor names the business unit of what it
 * sold, the second does not.
 */
import { daysInMonth, instant, isWeekday, periodOf, periodsBetween } from './calendar';
import type { ModelSecondarySale } from './commissions';
import { type Chain, creditsOn, type DemoCustomer, LAST_DAY, type SeedCommand, usd } from './model';
import type { Rng } from './prng';

// prettier-ignore
const END_CUSTOMERS = [
  'Bramley Dental Group', 'Carlow Print & Copy', 'Dunmore Veterinary Clinic', 'Elmstead Bakery Co.',
  'Fairhaven Bike Shop', 'Glenwood Architects', 'Hollis Family Pharmacy', 'Kingsbridge Tutoring',
  'Larkhill Garden Centre', 'Millbrook Opticians', 'Oakham Physiotherapy', 'Pinecrest Estate Agents',
  'Redhill Auto Repairs', 'Stonebury Law Chambers', 'Thornton Music School', 'Upton Florists',
];

export interface DemoSecondarySale extends ModelSecondarySale {
  readonly command: SeedCommand;
}

export function registerDistributorCommand(d: DemoCustomer): SeedCommand {
  return {
    type: 'RegisterDistributor',
    method: 'POST',
    path: '/distributors',
    body: {
      distributorId: d.customerId,
      name: d.name,
      paymentTermsDays: d.paymentTermsDays,
      salesCredits: d.history[0]!.credits,
    },
  };
}

/** One to three secondary sales per distributor and month, from its first day to the story's end. */
export function secondarySales(rng: Rng, distributors: readonly DemoCustomer[]): DemoSecondarySale[] {
  const sales: DemoSecondarySale[] = [];
  for (const d of distributors) {
    const dated: { soldAt: string; amount: number; endCustomer: string }[] = [];
    for (const period of periodsBetween(periodOf(d.since), periodOf(LAST_DAY))) {
      const days: string[] = [];
      for (let day = 1; day <= daysInMonth(period); day++) {
        const date = `${period}-${String(day).padStart(2, '0')}`;
        if (date >= d.since && date <= LAST_DAY && isWeekday(date)) days.push(date);
      }
      if (days.length === 0) continue;
      for (let n = rng.int(1, 3); n > 0; n--) {
        dated.push({
          soldAt: instant(rng.pick(days), rng.int(9 * 3600, 17 * 3600)),
          amount: rng.int(40, 450) * 10_000,
          endCustomer: rng.pick(END_CUSTOMERS),
        });
      }
    }
    dated.sort((x, y) => (x.soldAt < y.soldAt ? -1 : x.soldAt > y.soldAt ? 1 : 0));
    dated.forEach((s, i) => {
      const soldOn = s.soldAt.slice(0, 10);
      sales.push({
        soldOn,
        amount: s.amount,
        credits: creditsOn(d, soldOn),
        command: {
          type: 'ReportSecondarySale',
          method: 'POST',
          path: `/distributors/${d.customerId}/secondary-sales`,
          body: {
            saleId: `${d.customerId}-SS${String(i + 1).padStart(3, '0')}`,
            amount: usd(s.amount),
            soldAt: s.soldAt,
            endCustomer: s.endCustomer,
            ...(d.businessUnit === 'smb' ? { businessUnit: d.businessUnit } : {}),
          },
        },
      });
    });
  }
  return sales;
}

/** One chain per distributor: its reports in the order they were sold. */
export function secondarySaleChains(sales: readonly DemoSecondarySale[]): Chain[] {
  const chains = new Map<string, SeedCommand[]>();
  for (const s of sales) {
    const key = s.command.path;
    chains.set(key, [...(chains.get(key) ?? []), s.command]);
  }
  return [...chains.values()];
}
