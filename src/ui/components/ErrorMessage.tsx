import { errorCode, errorMessage } from '../client.js';

/** A failed request, shown inline with the server's own message and error code. */
export function ErrorMessage({ error, testId = 'error', onRetry }: { error: unknown; testId?: string; onRetry?: () => void }) {
  const code = errorCode(error);
  return (
    <div className="error" role="alert" data-testid={testId}>
      {code && <span className="error-code">{code}</span>}
      <span className="error-message">{errorMessage(error)}</span>
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
