import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import { parseForm, strictUtf8 } from '../http/form';

export interface CompileRequest {
  body: string;
  withVet: boolean;
}

const truthy = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 'on';

/**
 * Reads a /compile request in either form the playground accepts: the browser client's form
 * (`version=2&body=…&withVet=true`) or JSON (`{"Body": "…", "WithVet": true}`).
 */
export function parseCompileRequest(req: Request, raw: Buffer, forceVet = false): CompileRequest {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  let body: unknown;
  let withVet: unknown;
  if (type.includes('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(strictUtf8(raw, 'request body'));
    } catch (e) {
      if (e instanceof BadRequestException) throw e;
      throw new BadRequestException(`request body is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new BadRequestException('request body must be a JSON object like {"Body": "package main…"}');
    }
    body = (json as Record<string, unknown>).Body;
    withVet = (json as Record<string, unknown>).WithVet;
    if (body !== undefined && typeof body !== 'string') throw new BadRequestException('"Body" must be a string');
  } else {
    const form = parseForm(raw);
    body = form.get('body');
    withVet = form.get('withVet');
  }
  if (typeof body !== 'string' || body.trim() === '') {
    throw new BadRequestException('empty program: send Go source in the form field "body" or the JSON field "Body"');
  }
  return { body, withVet: forceVet || truthy(withVet) };
}
