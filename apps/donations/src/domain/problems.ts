/** A refusal of the donations domain, mapped to problem+json by the routes. */
export class DonationProblem extends Error {
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
  new DonationProblem('not_found', `no such ${what}`, `未找到该${zh}`, 404);
