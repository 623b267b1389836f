export function StatusBadge({ status, testId, title }: { status: string; testId?: string; title?: string | undefined }) {
  return (
    <span className={`status status-${status.toLowerCase()}`} data-testid={testId} title={title}>
      {status.toLowerCase()}
    </span>
  );
}
