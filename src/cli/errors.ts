/** A mistake in how the command was called: printed with a hint, exit code 2. */
export class UsageError extends Error {
  /** The help topic to point at, e.g. `runs list`. */
  readonly topic: string;

  constructor(message: string, topic = '') {
    super(message);
    this.name = 'UsageError';
    this.topic = topic;
  }
}

/** An expected failure with a message for the user (no stack trace): exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
