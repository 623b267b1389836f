/** How to create a drift monitor (the UI has no form for it): the two API calls, for a given deployment or any. */
export function CreateMonitorHint({ deployment, testId }: { deployment?: string; testId: string }) {
  const name = deployment ?? 'titanic';
  const api = `${window.location.origin}/api/v1/monitors`;
  const commands = [
    `# a monitor of ${name}: hourly, over the last hour of traffic`,
    `curl -X POST ${api} -H 'content-type: application/json' \\`,
    `  -d '{"name": "${name}-features", "deployment": "${name}", "schedule": "0 * * * *", "window_minutes": 60}'`,
    '# its reference: the training data (CSV with a header, or JSON lines)',
    `curl -X PUT ${api}/${name}-features/reference -H 'content-type: text/csv' --data-binary @train.csv`,
  ].join('\n');
  return (
    <div className="empty" data-testid={testId}>
      <p>
        {deployment !== undefined ? `No drift monitor watches ${deployment} yet.` : 'No drift monitors yet.'} A monitor compares a deployment's recent traffic
        with a reference dataset on a schedule and alerts when they part. Create one through the API:
      </p>
      <pre className="command">{commands}</pre>
    </div>
  );
}
