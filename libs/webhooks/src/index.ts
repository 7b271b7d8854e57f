import type { SchemaParts } from '../../platform/src/database/data-source';
import { Webhooks1763900000500 } from './subscriptions/1763900000500-webhooks.migration';

export { WebhooksModule } from './webhooks.module';
export {
  WebhookDispatcher,
  type WebhookDispatcherOptions,
  WEBHOOK_DEFAULTS,
  deliveryBody,
} from './delivery/webhook-dispatcher';
export { signDelivery, generateSecret, secretKey } from './delivery/webhook-signature';
export { checkReceiverUrl } from './delivery/receiver-url';
export const WEBHOOKS_SCHEMA: SchemaParts = { entities: [], migrations: [Webhooks1763900000500] };
