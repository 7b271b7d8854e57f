import type { SchemaParts } from '../../platform/src/database/data-source';
import { LogSeals1763900000400 } from './log-seals/1763900000400-log-seals.migration';
import { LogSealProjector } from './log-seals/log-seals.projector';

export { AuditModule } from './audit.module';
export { recomputeEntry } from './lineage/lineage.formula';
export { LogVerifier, type VerifyLogResult, type BrokenLink } from './verify-log/log-verifier';
export { createLogVerifier } from './verify-log/log-sources';
export { parseExpectedSeal } from './verify-log/expected-seal';
export const AUDIT_SCHEMA: SchemaParts = { entities: [], migrations: [LogSeals1763900000400] };
export const auditProjectors = () => [new LogSealProjector()];
