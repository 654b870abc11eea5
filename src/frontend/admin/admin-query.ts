import { BadRequestException } from '@nestjs/common';
import { REASON_MAX_LENGTH } from '../control/change-limits';

export function pageParams(q: Record<string, unknown>): { page: number; pageSize: number } {
  const page = q.page === undefined ? 1 : Number(q.page);
  const pageSize = q.pageSize === undefined ? 25 : Number(q.pageSize);
  if (!Number.isInteger(page) || page < 1) throw new BadRequestException('page must be a whole number ≥ 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) throw new BadRequestException('pageSize must be 1..500');
  return { page, pageSize };
}

export function dateParam(v: unknown, name: string): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new BadRequestException(`${name} must be an ISO date`);
  return d;
}

export function reasonOf(body: unknown): string {
  const r = (body as { reason?: unknown } | undefined)?.reason;
  if (typeof r !== 'string' || !r.trim()) throw new BadRequestException('a reason is required for every change ("reason": "…")');
  if (r.length > REASON_MAX_LENGTH) throw new BadRequestException(`reason: at most ${REASON_MAX_LENGTH} characters`);
  return r.trim();
}
