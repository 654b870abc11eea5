import { IsString } from 'class-validator';
import type { Request } from 'express';
import { formValues } from '../http/form';
import { ReadBody, RequestOf } from '../http/request-body.pipe';
import { validatedAs } from '../http/dto-validation.pipe';

/** A /fmt request: the program, `imports` (any non-empty value) to fix its imports too, and the Go release whose gofmt formats. */
export class FmtRequest {
  @IsString()
  body!: string;

  @IsString()
  imports!: string;

  @IsString()
  backend!: string;
}

/** The form fields of a /fmt request, from a urlencoded body or the query string (Go's FormValue). */
export function decodeFmtRequest(req: Request, raw: Buffer): FmtRequest {
  const form = formValues(req, raw);
  return { body: form.get('body') ?? '', imports: form.get('imports') ?? '', backend: form.get('backend') ?? '' };
}

/** The parameter of the /fmt handler: the request's body read (COMPILE_MAX_BODY_BYTES), decoded and checked. */
export const FmtInput = (): ParameterDecorator =>
  RequestOf(ReadBody('COMPILE_MAX_BODY_BYTES', { what: 'request body', decode: decodeFmtRequest }), validatedAs(FmtRequest));
