import { Controller, ForbiddenException, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '../../../../eventsourcing/src/event-store.port';
import { canReadAllSalespeople, canReadSalesperson } from '../../../../platform/src/auth/access';
import { type AuthUser, CurrentUser } from '../../../../platform/src/auth/auth-user';
import { Roles } from '../../../../platform/src/auth/roles';
import { EVENT_STORE } from '../../../../platform/src/cqrs/event-store.token';
import { loadState } from '../../../../platform/src/cqrs/run-command';
import { IdParamPipe } from '../../../../platform/src/http/id-param.pipe';
import { utcDate } from '../../../../shared-kernel/src/time';
import { streams } from '../../contracts/sales.events';
import { evolveSalesperson, initialSalespersonState } from '../../salespeople/salesperson.state';
import { creditsOn } from '../customer.state';
import { CustomerCreditDto } from './customer-credit.response.dto';
import { readCustomerCredit } from './get-customer-credit';

/**
 * A customer's credit limit, exposure, available credit and latest overrides. Finance, sales-ops,
 * compliance and admin read every customer; a manager reads the customers credited today to a
 * salesperson of their team, a rep those credited to them.
 */
@ApiTags('customers')
@Controller('customers/:id/credit')
export class GetCustomerCreditHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Roles('finance', 'sales-ops', 'compliance', 'manager', 'rep')
  @ApiOkResponse({ type: CustomerCreditDto })
  async get(@Param('id', IdParamPipe) customerId: string, @CurrentUser() user: AuthUser): Promise<CustomerCreditDto> {
    const found = await readCustomerCredit(this.store, customerId);
    const readsAll = canReadAllSalespeople(user);
    if (!found) {
      if (readsAll) throw new NotFoundException(`Customer ${customerId} does not exist`);
      throw new ForbiddenException(`You may not read customer ${customerId}`);
    }
    if (!readsAll) {
      const credited = creditsOn(found.customer, utcDate(new Date().toISOString()));
      let allowed = false;
      for (const c of credited) {
        const salesperson = await loadState(
          this.store,
          streams.salesperson(c.salespersonId),
          initialSalespersonState,
          evolveSalesperson,
        );
        const team = salesperson.exists ? salesperson.teamId : null;
        if (canReadSalesperson(user, c.salespersonId, team)) {
          allowed = true;
          break;
        }
      }
      if (!allowed) throw new ForbiddenException(`You may not read customer ${customerId}`);
    }
    return found.credit;
  }
}
