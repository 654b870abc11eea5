import { Controller, Get } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import { ApiExcludeController, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { INestApplication } from '@nestjs/common';

/**
 * GET /admin/api/openapi.json: the admin API described (OpenAPI 3), from the admin module's own
 * controllers and DTOs, so it cannot drift from what is served. It sits under the prefix like
 * every admin route: a viewer's token reads it, a stranger gets a 401.
 */
@ApiExcludeController()
@Controller('admin/api')
export class AdminOpenApiController {
  private document?: OpenAPIObject;

  constructor(private readonly modules: ModulesContainer, private readonly http: HttpAdapterHost) {}

  @Get('openapi.json')
  describe(): OpenAPIObject {
    this.document ??= this.build();
    return this.document;
  }

  private build(): OpenAPIObject {
    const admin = [...this.modules.values()].find((m) => m.controllers.has(AdminOpenApiController));
    const config = new DocumentBuilder()
      .setTitle('Go playground migration: admin API')
      .setDescription('Flags, release day, dual runs, diff rules, audit. Every route needs `Authorization: Bearer <admin token>`; changes need the release-manager role, a JSON body with a reason, and no foreign Origin.')
      .setVersion('1')
      .addBearerAuth()
      .build();
    // SwaggerModule reads the application's module container and HTTP adapter; the module has
    // both without the application object (this frontend sets no global prefix or versioning,
    // which a fresh ApplicationConfig also has none of).
    const app = { container: { getModules: () => this.modules, isGlobalModule: () => false }, config: new ApplicationConfig(), getHttpAdapter: () => this.http.httpAdapter };
    return SwaggerModule.createDocument(app as unknown as INestApplication, config, { include: admin ? [admin.metatype] : [] });
  }
}
