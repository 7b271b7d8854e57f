import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../eventsourcing/src/event-store.port';
import { CommissionsModule } from '../../commissions/src/commissions.module';
import { DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE, SETTINGS } from '../../platform/src/cqrs/tokens';
import { HealthHttpController } from '../../platform/src/health/health.http-controller';
import { ConsistentReadInterceptor } from '../../platform/src/http/consistent-read';
import type { Settings } from '../../platform/src/config/settings';
import type { ProjectionEngine } from '../../projections/src/projection-engine';
import { ProjectionsHttpController } from '../../projections/src/projections.http-controller';
import { SalesModule } from '../../sales/src/sales.module';
import { MetricsHttpController } from './metrics.http-controller';

export interface Infrastructure {
  readonly settings: Settings;
  readonly dataSource: DataSource;
  readonly store: EventStore;
  readonly engine: ProjectionEngine;
}

@Global()
@Module({})
class InfrastructureModule {
  static with(infra: Infrastructure): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: SETTINGS, useValue: infra.settings },
        { provide: DATA_SOURCE, useValue: infra.dataSource },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: PROJECTION_ENGINE, useValue: infra.engine },
        ConsistentReadInterceptor,
      ],
      exports: [SETTINGS, DATA_SOURCE, EVENT_STORE, PROJECTION_ENGINE, ConsistentReadInterceptor],
    };
  }
}

/** The HTTP application's root module: commands and queries of every business module. */
@Module({})
export class AppModule {
  static with(infra: Infrastructure): DynamicModule {
    return {
      module: AppModule,
      imports: [InfrastructureModule.with(infra), CqrsModule.forRoot(), SalesModule, CommissionsModule],
      controllers: [HealthHttpController, ProjectionsHttpController, MetricsHttpController],
    };
  }
}
