/**
 * An error meant for a person at a terminal: `message` says what is wrong and what to do, and the
 * CLI prints it without a stack trace. `detail` (e.g. a log tail) is printed after it.
 */
export class StackError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'StackError';
  }
}
