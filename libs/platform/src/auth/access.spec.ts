import { ForbiddenException } from '@nestjs/common';
import { assertCanReadSalesperson, canReadSalesperson } from './access';
import type { AuthUser } from './auth-user';

const user = (roles: string[], extra: Partial<AuthUser> = {}): AuthUser => ({ sub: 'u', roles, ...extra });

describe('canReadSalesperson', () => {
  it.each(['admin', 'compliance', 'finance', 'sales-ops'])('%s reads everyone, even without a team', (role) => {
    expect(canReadSalesperson(user([role]), 'alice', 'east')).toBe(true);
    expect(canReadSalesperson(user([role]), 'ghost', null)).toBe(true);
  });

  it('a manager reads the salespeople of their team only', () => {
    const m = user(['manager'], { teamId: 'east' });
    expect(canReadSalesperson(m, 'alice', 'east')).toBe(true);
    expect(canReadSalesperson(m, 'carol', 'west')).toBe(false);
    expect(canReadSalesperson(m, 'dave', null)).toBe(false);
    expect(canReadSalesperson(user(['manager']), 'dave', null)).toBe(false); // no teamId claim
  });

  it('a rep reads only themselves', () => {
    const r = user(['rep'], { salespersonId: 'alice', teamId: 'east' });
    expect(canReadSalesperson(r, 'alice', 'east')).toBe(true);
    expect(canReadSalesperson(r, 'bob', 'east')).toBe(false);
    expect(canReadSalesperson(user(['rep']), 'alice', 'east')).toBe(false); // no salespersonId claim
  });

  it('service and unknown roles read nobody; several roles give the union', () => {
    expect(canReadSalesperson(user(['service']), 'alice', 'east')).toBe(false);
    expect(canReadSalesperson(user(['superuser']), 'alice', 'east')).toBe(false);
    const both = user(['rep', 'manager'], { salespersonId: 'carol', teamId: 'east' });
    expect(canReadSalesperson(both, 'alice', 'east')).toBe(true);
    expect(canReadSalesperson(both, 'carol', 'west')).toBe(true);
    expect(canReadSalesperson(both, 'zed', 'west')).toBe(false);
  });

  it('assertCanReadSalesperson throws 403', () => {
    expect(() => assertCanReadSalesperson(user(['rep'], { salespersonId: 'a' }), 'b', null)).toThrow(
      ForbiddenException,
    );
    expect(() => assertCanReadSalesperson(user(['finance']), 'b', null)).not.toThrow();
  });
});
