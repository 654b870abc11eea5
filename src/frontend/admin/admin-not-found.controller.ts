import { Controller, Delete, Get, NotFoundException, Options, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';

const ANY_PATH = 'admin/api{/*rest}';

/**
 * Takes every path under /admin/api that no admin route takes, so that it meets the admin door
 * (a guard runs only for a matched route): without a valid token it is a 401 like any admin
 * route, never a 404 or an OPTIONS answer that tells a stranger which paths exist. Past the
 * door it is the 404 Nest would have answered. AdminModule lists it last, so that every real
 * admin route is matched first: an admin route belongs in AdminModule (one in a module Nest
 * registers later would be shadowed by this one: closed, never open).
 *
 * One handler per method a client uses (HEAD goes to GET's) rather than @All: Express registers
 * @All once for each method it knows, CONNECT included, which no HTTP client sends to a path.
 */
@ApiExcludeController()
@Controller()
export class AdminNotFoundController {
  @Get(ANY_PATH) get(@Req() req: Request): never { return notFound(req); }
  @Post(ANY_PATH) post(@Req() req: Request): never { return notFound(req); }
  @Put(ANY_PATH) put(@Req() req: Request): never { return notFound(req); }
  @Patch(ANY_PATH) patch(@Req() req: Request): never { return notFound(req); }
  @Delete(ANY_PATH) delete(@Req() req: Request): never { return notFound(req); }
  @Options(ANY_PATH) options(@Req() req: Request): never { return notFound(req); }
}

function notFound(req: Request): never {
  throw new NotFoundException(`Cannot ${req.method} ${req.originalUrl}`);
}
