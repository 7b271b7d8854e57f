/** DI token of the EventStore port (PostgreSQL or EventStoreDB adapter). */
export const EVENT_STORE = Symbol('EVENT_STORE');
