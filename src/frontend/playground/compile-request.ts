import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import { formValues, isUrlencoded, strictUtf8 } from '../http/form';

export interface CompileRequest {
  body: string;
  withVet: boolean;
  /** The form values, query string included (`backend` names the Go release). */
  form: ReadonlyMap<string, string>;
}

/** Go's strconv.ParseBool: these spellings are true; anything else (false or not a bool) is false. */
const TRUE_SPELLINGS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/**
 * Reads a /compile request as play.golang.org does: the form field `body` (from a urlencoded
 * body or the query string, as the browser client sends `version=2&body=…&withVet=true`); when
 * there is none, the body decoded as JSON (`{"Body": "…", "WithVet": true}`), whatever its
 * Content-Type, with Go's case-insensitive field names.
 */
export function parseCompileRequest(req: Request, raw: Buffer, forceVet = false): CompileRequest {
  const form = formValues(req, raw);
  const fromForm = form.get('body');
  let body: string;
  let withVet: boolean;
  if (fromForm) {
    body = fromForm;
    withVet = TRUE_SPELLINGS.has(form.get('withVet') ?? '');
  } else if (isUrlencoded(req)) {
    // Go's form parsing has consumed such a body: there is no JSON left to decode.
    throw new BadRequestException('empty program: send Go source in the form field "body" or the JSON field "Body"');
  } else {
    ({ body, withVet } = parseJsonRequest(raw));
  }
  if (body.trim() === '') {
    throw new BadRequestException('empty program: send Go source in the form field "body" or the JSON field "Body"');
  }
  return { body, withVet: forceVet || withVet, form };
}

function parseJsonRequest(raw: Buffer): { body: string; withVet: boolean } {
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
  // encoding/json matches field names without regard to case; a later key wins.
  for (const [key, value] of Object.entries(json)) {
    const k = key.toLowerCase();
    if (k === 'body') body = value;
    else if (k === 'withvet') withVet = value;
  }
  if (body !== null && typeof body !== 'string') throw new BadRequestException('"Body" must be a string');
  if (withVet !== null && typeof withVet !== 'boolean') throw new BadRequestException('"WithVet" must be true or false');
  return { body: body ?? '', withVet: withVet === true };
}
