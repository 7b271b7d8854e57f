import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BodyDepthPipe } from './body-depth.pipe';
import { ProblemDetailsFilter } from './problem.filter';
import { createValidationPipe } from './validation';

export const API_PREFIX = 'api/v1';

/** The HTTP application: /api/v1 routes, problem+json errors, validation, OpenAPI at /docs. */
export async function createHttpApp(
  module: unknown,
  logger: false | ('log' | 'error' | 'warn')[],
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, { logger, bodyParser: false });
  app.useBodyParser('json', { limit: '1mb', strict: true });
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(new BodyDepthPipe(), createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const config = new DocumentBuilder()
    .setTitle('Sales commissions and track-to-cash')
    .setDescription(
      'Event-sourced commissions, clawbacks and track-to-cash. Money is integer minor units; ' +
        'errors are application/problem+json (RFC 9457). See shared/spec/api.md.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
  return app;
}
