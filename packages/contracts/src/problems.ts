/**
 * A refusal decided by a service's domain: a rule the request breaks (a home already full, a balance
 * too small, a case already closed) or a thing that does not exist. Domain code throws it without
 * knowing of HTTP; service-kit's error handler turns it into problem+json with its `code`, the text
 * in the caller's language and `extra` as members of the problem (`urn:tongxin:problem:<code>`).
 */
export class DomainProblem extends Error {
  override readonly name = 'DomainProblem';

  constructor(
    /** Stable, machine-readable (`insufficient_balance`); the problem type is derived from it. */
    readonly code: string,
    readonly en: string,
    readonly zh: string,
    /** 404 for `not_found`, else 409 unless given. */
    readonly status: number = code === 'not_found' ? 404 : 409,
    /** Extra members of the problem document, e.g. `{ index: 1 }`; never personal data. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(en);
  }
}

/** `no such <what>` / `未找到该<zh>`, 404. */
export const notFound = (what: string, zh: string): DomainProblem =>
  new DomainProblem('not_found', `no such ${what}`, `未找到该${zh}`, 404);
