/**
 * The anchor of an exercise in its chapter: `#exercise-<name>`, its program's id without the
 * number ("21-gather-order" → "exercise-gather-order"), the same in both languages, so a teacher's
 * link survives a renumbering of the programs.
 */
export function exerciseAnchor(programId: string): string {
  return `exercise-${programId.replace(/^\d+-/, '')}`;
}
