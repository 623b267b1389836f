/** The server answered with an error: `{error_code, message}` (MLflow) or a non-JSON body (status only). */
export class PitwallApiError extends Error {
  readonly status: number;
  /** MLflow error code (`RESOURCE_DOES_NOT_EXIST`, …), or `HTTP_<status>` when the body carried none. */
  readonly errorCode: string;
  /** The request field at fault, when the server names one. */
  readonly field?: string;
  readonly method: string;
  readonly url: string;

  constructor(init: { status: number; errorCode: string; message: string; field?: string; method: string; url: string }) {
    super(init.message);
    this.name = 'PitwallApiError';
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.method = init.method;
    this.url = init.url;
    if (init.field !== undefined) this.field = init.field;
  }
}

/** The server could not be reached, or did not answer in time. `cause` holds the underlying error. */
export class PitwallNetworkError extends Error {
  readonly url: string;
  readonly timedOut: boolean;

  constructor(message: string, init: { url: string; timedOut?: boolean; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PitwallNetworkError';
    this.url = init.url;
    this.timedOut = init.timedOut ?? false;
  }
}

/** A path given to (or received by) the SDK that would leave its directory: `..`, backslashes, NUL, absolute. */
export class PitwallPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PitwallPathError';
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof PitwallApiError && e.errorCode === 'RESOURCE_DOES_NOT_EXIST';
}
