/** A refusal of the volunteers domain, mapped to problem+json by the routes. */
export class VolunteerProblem extends Error {
  constructor(
    readonly code: string,
    readonly en: string,
    readonly zh: string,
    readonly status = 409,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(en);
  }
}

export const notFound = (what: string, zh: string) =>
  new VolunteerProblem('not_found', `no such ${what}`, `未找到该${zh}`, 404);
