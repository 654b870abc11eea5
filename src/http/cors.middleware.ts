import type { NextFunction, Request, Response } from 'express';

/**
 * play.golang.org answers every API request with Access-Control-Allow-Origin: *, so editor
 * plugins and pages elsewhere can call it. The admin API is deliberately left out.
 */
export function publicCors(req: Request, res: Response, next: NextFunction): void {
  if (req.path.startsWith('/admin')) return next();
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'X-Playground-Backend, X-Playground-Route, X-Playground-Emulation');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Playground-Backend');
    res.status(204).end();
    return;
  }
  next();
}
