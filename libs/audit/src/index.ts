export { AuditModule } from './audit.module';
export { recomputeEntry } from './lineage/lineage.formula';
