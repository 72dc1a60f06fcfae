/**
 * Request bodies of the volunteers API (`@tongxin/contracts/volunteers/api`) that the event page's
 * forms send: the service validates with them at its edge and the console validates its forms with
 * the same schemas before sending. Deliberately light — zod only, never the event definitions or
 * the region tables — so the console's bundle does not pull those in.
 */
import { z } from 'zod';

export const ZId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id: letters, digits, "-" or "_"');
export const ZDate = z.iso.date();

/** POST /events/:id/children — sign a child up. */
export const ZChildSignUpInput = z.object({ childId: ZId });
/** POST /events/:id/volunteers (and …/volunteers/:volunteerId/role). */
export const ZAssignInput = z.object({ volunteerId: ZId, roleId: ZId });
export const ZAttendanceInput = z.object({
  on: ZDate,
  childIds: z.array(ZId).max(2000).default([]),
  volunteerIds: z.array(ZId).max(500).default([]),
});
export const ZHoursInput = z.object({
  entries: z
    .array(
      z.object({
        volunteerId: ZId,
        minutes: z
          .number()
          .int()
          .min(1)
          .max(60 * 24 * 60),
      }),
    )
    .min(1)
    .max(500)
    .superRefine((entries, ctx) => {
      if (new Set(entries.map((e) => e.volunteerId)).size !== entries.length)
        ctx.addIssue({ code: 'custom', message: 'a volunteer listed twice / 志愿者重复' });
    }),
});
export const ZCloseInput = z.object({ closedOn: ZDate, outcome: z.enum(['completed', 'cancelled']) });
