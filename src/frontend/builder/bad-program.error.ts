/**
 * The user's program or request is unacceptable (bad archive, bad file names, ...). Kept apart
 * from other errors so the HTTP layer can answer 400 with the message instead of a 500.
 */
export class BadProgramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadProgramError';
  }
}
