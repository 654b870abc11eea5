import type { Response } from 'express';

/**
 * Answers an error the way Go's http.Error does, as play.golang.org's handlers answer theirs:
 * the message as text/plain with a newline, never sniffed as anything else.
 */
export function plainError(res: Response, status: number, message: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(`${message}\n`);
}
