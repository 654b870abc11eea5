/** What a flag percentage may be: 0 to 100 in steps of 0.01, as it is stored in basis points. */
export const PERCENT_LIMITS = Object.freeze({ min: 0, max: 100, step: 0.01 });

/** The longest reason a change may give (the audit log keeps it whole). */
export const REASON_MAX_LENGTH = 2000;
