import { createParamDecorator, ExecutionContext, HttpException, Injectable, mixin, PipeTransform, Type } from '@nestjs/common';
import type { Request } from 'express';
import { Settings } from '../../platform/config/settings';
import { readBody } from '../../platform/http/read-body';

/** The request itself, for a parameter whose pipes read and decode its body. */
export const RequestOf = createParamDecorator((_data: unknown, ctx: ExecutionContext): Request => ctx.switchToHttp().getRequest<Request>());

type BodyLimit = 'COMPILE_MAX_BODY_BYTES' | 'SHARE_MAX_BYTES';

export interface BodyOptions<T> {
  /** What the body is, in messages ("request body", "snippet"). */
  what: string;
  /** Turns the bytes into what the handler takes (its fields, for a DTO to check); default: the bytes. */
  decode?: (req: Request, raw: Buffer) => T;
  /** The 413's message, where a client shows it as it is (play.golang.org's words). */
  tooLarge?: string;
}

/**
 * A pipe for RequestOf: reads the body with the limit the setting gives (counting as it reads,
 * so an oversized one is refused as soon as it passes the limit; an empty one is allowed, as a
 * form's fields may all be in the query string), then decodes it. A pipe runs after the guards,
 * so a rate-limited request is refused before a byte is read.
 */
export function ReadBody<T = Buffer>(limit: BodyLimit, options: BodyOptions<T>): Type<PipeTransform<Request, Promise<T>>> {
  @Injectable()
  class ReadBodyPipe implements PipeTransform<Request, Promise<T>> {
    constructor(private readonly settings: Settings) {}

    async transform(req: Request): Promise<T> {
      let raw: Buffer;
      try {
        raw = await readBody(req, this.settings.get(limit), options.what, true);
      } catch (e) {
        if (options.tooLarge && e instanceof HttpException && e.getStatus() === 413) throw new HttpException(options.tooLarge, 413);
        throw e;
      }
      return options.decode ? options.decode(req, raw) : (raw as T);
    }
  }
  return mixin(ReadBodyPipe);
}
