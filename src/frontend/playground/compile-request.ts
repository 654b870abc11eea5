import { BadRequestException } from '@nestjs/common';
import { IsBoolean, IsString } from 'class-validator';
import type { Request } from 'express';
import { formValues, isUrlencoded, strictUtf8 } from '../http/form';
import { ReadBody, RequestOf } from '../http/request-body.pipe';
import { validatedAs } from '../http/dto-validation.pipe';

/** A /compile (or /vet) request: the program, whether to vet it too, and the Go release asked for. */
export class CompileRequest {
  @IsString({ message: '"Body" must be a string' })
  body!: string;

  @IsBoolean({ message: '"WithVet" must be true or false' })
  withVet!: boolean;

  /** `backend` of the form or the query string (a JSON body has none): "" is the default release. */
  @IsString()
  backend!: string;
}

type DecodedCompileRequest = { body: unknown; withVet: unknown; backend: string };

export const EMPTY_PROGRAM = 'empty program: send Go source in the form field "body" or the JSON field "Body"';

/** Go's strconv.ParseBool: these spellings are true; anything else (false or not a bool) is false. */
const TRUE_SPELLINGS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * Reads a /compile request's fields as play.golang.org does: the form field `body` (from a
 * urlencoded body or the query string, as the browser client sends `version=2&body=…&withVet=true`);
 * when there is none, the body decoded as JSON (`{"Body": "…", "WithVet": true}`), whatever its
 * Content-Type, with Go's case-insensitive field names. The types are CompileRequest's to check.
 */
export function decodeCompileRequest(req: Request, raw: Buffer): DecodedCompileRequest {
  const form = formValues(req, raw);
  const fromForm = form.get('body');
  const backend = form.get('backend') ?? '';
  if (fromForm) return { body: fromForm, withVet: TRUE_SPELLINGS.has(form.get('withVet') ?? ''), backend };
  // Go's form parsing has consumed such a body: there is no JSON left to decode.
  if (isUrlencoded(req)) return { body: '', withVet: false, backend };
  return { ...decodeJsonRequest(raw), backend };
}

function decodeJsonRequest(raw: Buffer): { body: unknown; withVet: unknown } {
  let json: unknown;
  try {
    json = JSON.parse(strictUtf8(raw, 'request body'));
  } catch (e) {
    if (e instanceof BadRequestException) throw e;
    throw new BadRequestException(`request body is not valid JSON: ${(e as Error).message}`);
  }
  if (json === null) return { body: '', withVet: false };
  if (typeof json !== 'object' || Array.isArray(json)) {
    throw new BadRequestException('request body must be a JSON object like {"Body": "package main…"}');
  }
  let body: unknown = null;
  let withVet: unknown = null;
  // encoding/json matches field names without regard to case; a later key wins; null leaves a field as it was.
  for (const [key, value] of Object.entries(json)) {
    const k = key.toLowerCase();
    if (k === 'body') body = value;
    else if (k === 'withvet') withVet = value;
  }
  return { body: body ?? '', withVet: withVet ?? false };
}

/** The parameter of a /compile handler: the request's body read (COMPILE_MAX_BODY_BYTES), decoded and checked. */
export const CompileInput = (): ParameterDecorator =>
  RequestOf(ReadBody('COMPILE_MAX_BODY_BYTES', { what: 'request body', decode: decodeCompileRequest }), validatedAs(CompileRequest));

/** The program of a checked request; a blank one is refused. */
export function programOf(r: CompileRequest): string {
  if (r.body.trim() === '') throw new BadRequestException(EMPTY_PROGRAM);
  return r.body;
}
