import type { NextFunction, Request, Response } from 'express';

/**
 * Paths whose answers play.golang.org sends without Access-Control-Allow-Origin: its health
 * check and static files (and our admin API, which is for the admin UI alone). Every other
 * path, including ones no route takes, is its editor handler's or an API's, which add it.
 */
const NOT_CROSS_ORIGIN = [/^\/_ah\/health$/, /^\/static\//, /^\/favicon\.ico$/, /^\/admin(\/|$)/];

/**
 * play.golang.org answers its API and pages with Access-Control-Allow-Origin: *, so editor
 * plugins and pages elsewhere (golang.org's embedded client) can call it, and a preflight
 * OPTIONS with an empty 200. We also name the methods and headers a preflight asks about, so
 * that a JSON client on another origin gets through (play.golang.org names none).
 */
export function publicCors(req: Request, res: Response, next: NextFunction): void {
  if (NOT_CROSS_ORIGIN.some((p) => p.test(req.path))) return next();
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'X-Playground-Backend, X-Playground-Route, X-Playground-Emulation');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Playground-Backend');
    res.status(200).end();
    return;
  }
  next();
}
