import type { INestApplication, LoggerService } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { BodyDepthPipe } from './body-depth.pipe';
import { ProblemDetailsFilter } from './problem.filter';
import { answerClientErrorsAsProblems } from './client-error';
import { rateLimitMiddleware } from './rate-limit';
import { securityHeadersMiddleware } from './security-headers';
import type { JwtVerifier } from '../auth/jwt';
import { createValidationPipe } from './validation';
import { observeHttp, restoreLogContext } from '../logging/http-observability';

export const API_PREFIX = 'api/v1';

/** Per-client rate limiting (settings RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST; 0/s: off). */
export interface HttpSecurityOptions {
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /** Verifies bearer tokens so that the limiter counts a valid token's `sub` as the client. */
  readonly verifier?: JwtVerifier | null;
}

/** The HTTP application: /api/v1 routes, problem+json errors, validation, OpenAPI at /docs. */
export async function createHttpApp(
  module: unknown,
  logger: false | ('log' | 'error' | 'warn')[] | LoggerService,
  security: HttpSecurityOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, { logger, bodyParser: false });
  // Before anything else: the correlation id, the access log line and the HTTP metrics of every answer.
  observeHttp(app);
  // First of all, so that every answer (errors, static files, 413 of the body parser) has them.
  app.use(securityHeadersMiddleware());
  answerClientErrorsAsProblems(app.getHttpServer());
  const limiter = security.rateLimit ? rateLimitMiddleware(security.rateLimit, security.verifier ?? null) : null;
  if (limiter) app.use(limiter);
  app.useBodyParser('json', { limit: '1mb', strict: true });
  app.use(restoreLogContext());
  app.disable('x-powered-by');
  // No enableShutdownHooks(): SIGTERM/SIGINT are main-runner's, which drains before closing (system.ts).
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics'] });
  // The web dashboard (built by `npm run build` into dist/web): static files at `/`, no auth
  // (the page signs in with a bearer token and calls the API like any client).
  const web = webRoot();
  if (web) app.useStaticAssets(web, { index: 'index.html', fallthrough: true, maxAge: 0 });
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

/** dist/web of the project this code runs from (compiled or under ts-jest), if it was built. */
export function webRoot(): string | null {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const web = join(dir, 'dist', 'web');
      return existsSync(join(web, 'index.html')) ? web : null;
    }
  }
  return null;
}
