/**
 * Safeguarding (安全保护) decisions, pure: the clearance status of a volunteer on a day, and whether a
 * volunteer may be assigned to an event. A volunteer works with children only with a verified
 * clearance (无犯罪记录证明 or equivalent) valid for the whole event — issued by its first day and not
 * expiring before its last — and completed child-protection training.
 */
export type ClearanceStatus = 'pending' | 'cleared' | 'expired' | 'revoked';

export interface Safeguarding {
  clearance?: { issuedOn: string; expiresOn: string; verifiedBy: string; verifiedAt: Date };
  revoked?: { on: string; by: string };
  training?: { completedOn: string };
}

export function clearanceStatus(s: Safeguarding, today: string): ClearanceStatus {
  if (s.revoked) return 'revoked';
  if (!s.clearance) return 'pending';
  return s.clearance.expiresOn < today ? 'expired' : 'cleared';
}

/** Cleared and trained today: what `volunteers.volunteer.v1` announces as `clearedForChildren`. */
export function clearedForChildren(s: Safeguarding, today: string): boolean {
  return clearanceStatus(s, today) === 'cleared' && !!s.training && s.training.completedOn <= today;
}

export type SafeguardingRefusal =
  | 'clearance_revoked'
  | 'clearance_missing'
  | 'clearance_not_yet_valid'
  | 'clearance_expired'
  | 'clearance_expires_during_event'
  | 'training_missing';

/** Why this volunteer may not work with children at an event from `startsOn` to `endsOn`, or undefined. */
export function safeguardingRefusal(
  s: Safeguarding,
  window: { startsOn: string; endsOn: string },
): SafeguardingRefusal | undefined {
  if (s.revoked) return 'clearance_revoked';
  if (!s.clearance) return 'clearance_missing';
  if (s.clearance.issuedOn > window.startsOn) return 'clearance_not_yet_valid';
  if (s.clearance.expiresOn < window.startsOn) return 'clearance_expired';
  if (s.clearance.expiresOn < window.endsOn) return 'clearance_expires_during_event';
  if (!s.training || s.training.completedOn > window.startsOn) return 'training_missing';
  return undefined;
}
