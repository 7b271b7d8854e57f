import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { EventStore } from '../../eventsourcing/src/event-store.port';
import { AuditModule } from '../../audit/src/audit.module';
import { CommissionsModule } from '../../commissions/src/commissions.module';
import { AUTH_CONFIG, type AuthConfig, AuthGuard } from '../../platform/src/auth/auth.guard';
import {
  DATA_SOURCE,
  EVENT_STORE,
  PROJECTION_ENGINE,
  READ_DATA_SOURCE,
  SETTINGS,
} from '../../platform/src/cqrs/tokens';
import { HealthHttpController } from '../../platform/src/health/health.http-controller';
import { ConsistentReadInterceptor } from '../../platform/src/http/consistent-read';
import type { Settings } from '../../platform/src/config/settings';
import type { ProjectionEngine } from '../../projections/src/projection-engine';
import { ProjectionsHttpController } from '../../projections/src/projections.http-controller';
import { DashboardModule } from '../../dashboard/src/dashboard.module';
import { FeedModule } from '../../feed/src/feed.module';
import { CollectionsModule } from '../../sales/src/collections/collections.module';
import { SalesModule } from '../../sales/src/sales.module';
import { TrackToCashModule } from '../../track-to-cash/src/track-to-cash.module';
import { CollectionTasksModule } from '../../track-to-cash/src/collection-tasks/collection-tasks.module';
import { WebhooksModule } from '../../webhooks/src/webhooks.module';
import { MetricsHttpController } from './metrics.http-controller';

export interface Infrastructure {
  readonly settings: Settings;
  readonly dataSource: DataSource;
  /** Read-model queries: the DATABASE_READ_URL replica, or `dataSource` itself when unset. */
  readonly readDataSource: DataSource;
  readonly store: EventStore;
  readonly engine: ProjectionEngine;
  /** How bearer tokens are verified (the effective secret, which may be the local one). */
  readonly auth: AuthConfig;
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
        { provide: READ_DATA_SOURCE, useValue: infra.readDataSource },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: PROJECTION_ENGINE, useValue: infra.engine },
        { provide: AUTH_CONFIG, useValue: infra.auth },
        ConsistentReadInterceptor,
      ],
      exports: [
        SETTINGS,
        DATA_SOURCE,
        READ_DATA_SOURCE,
        EVENT_STORE,
        PROJECTION_ENGINE,
        AUTH_CONFIG,
        ConsistentReadInterceptor,
      ],
    };
  }
}

/**
 * The HTTP application's root module: commands and queries of every business module, behind the
 * global AuthGuard (every route is either `@Public()` or states its `@Roles`).
 */
@Module({})
export class AppModule {
  static with(infra: Infrastructure): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.with(infra),
        CqrsModule.forRoot(),
        SalesModule,
        CollectionsModule,
        CommissionsModule,
        TrackToCashModule,
        CollectionTasksModule,
        DashboardModule,
        AuditModule,
        FeedModule,
        WebhooksModule,
      ],
      controllers: [HealthHttpController, ProjectionsHttpController, MetricsHttpController],
      providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
