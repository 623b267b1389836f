/** A coloured badge: its class is `status-{status}`; it reads `label` when given, else the status. */
export function StatusBadge({ status, testId, title, label }: { status: string; testId?: string; title?: string | undefined; label?: string }) {
  return (
    <span className={`status status-${status.toLowerCase()}`} data-testid={testId} title={title}>
      {label ?? status.toLowerCase()}
    </span>
  );
}
