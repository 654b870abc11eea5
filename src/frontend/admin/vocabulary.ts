import { STAGES, StageRule } from '../control/stage';
import { PERCENT_LIMITS, REASON_MAX_LENGTH } from '../control/change-limits';
import { DIFF_CLASSES, DIFF_CLASS_MEANINGS, DiffClass } from '../dualrun/diff-class';

/**
 * The words and limits the admin UI shows and checks against, from the server that uses them:
 * the stages (as rules over the flags, so that a preview names the stage a change leads to),
 * the diff classes in order with their meanings, and the limits of what a change may say.
 * Plain data with no framework in it: the UI imports this shape (type only).
 */
export interface Vocabulary {
  stages: readonly StageRule[];
  diffClasses: Array<{ name: DiffClass; meaning: string }>;
  limits: { percent: { min: number; max: number; step: number }; reasonMaxLength: number };
}

export function vocabulary(): Vocabulary {
  return {
    stages: STAGES,
    diffClasses: DIFF_CLASSES.map((name) => ({ name, meaning: DIFF_CLASS_MEANINGS[name] })),
    limits: { percent: PERCENT_LIMITS, reasonMaxLength: REASON_MAX_LENGTH },
  };
}
