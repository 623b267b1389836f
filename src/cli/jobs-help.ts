/** Help texts of `pitwall worker` and `pitwall jobs …` (merged into help.ts's HELP). */

// Same text as help.ts's; repeated here because help.ts imports this file.
const CONNECTION = `Connection:
  --tracking-uri URL   server to talk to (default: $PITWALL_TRACKING_URI, then $MLFLOW_TRACKING_URI,
                       then http://127.0.0.1:5000)`;

export const JOBS_HELP: Record<string, string> = {
  worker: `Usage: pitwall worker [options]

Runs background jobs (drift checks, rollout analysis, retraining runs, probes) from the store's job queue until
SIGTERM or Ctrl-C. On PostgreSQL the queue is pg-boss's: run as many workers as needed, on any machine that
reaches the database; each job is taken by one worker, and the job of a worker that dies is retried by another
once its lease runs out ($PITWALL_JOBS_LEASE_SECONDS, default 30). Servers also work jobs unless
$PITWALL_JOBS_IN_SERVER=false.

On SIGTERM running jobs get 30 s to finish; the rest are released for another worker. Prints a line per job.

Options:
  --store URI            metadata store: postgres://… (or the sqlite:<path> a server uses)
  --data-dir DIR         where the default SQLite database lives (default ./pitwall-data)
  --config FILE          JSON config file (flags override it; $PITWALL_* variables sit in between)
  --concurrency N        jobs of each kind run at once in this process (default 1)`,

  jobs: `Usage: pitwall jobs <list|show|cancel> [options]

  list     recent jobs and their state        (pitwall jobs list --help)
  show     one job: attempts, times, data, output or last error
  cancel   cancel a queued or running job`,

  'jobs list': `Usage: pitwall jobs list [options]

Newest first. States: created (queued), retry (failed, waiting to retry), active, completed, cancelled, failed.

Options:
  --name NAME            only jobs of this name (e.g. pitwall.probe)
  --state STATE          only jobs in this state
  --max N                show at most N jobs (default 50)
  --json                 print JSON instead of a table

${CONNECTION}`,

  'jobs show': `Usage: pitwall jobs show JOB_ID [options]

Options:
  --json                 print the job as JSON

${CONNECTION}`,

  'jobs cancel': `Usage: pitwall jobs cancel JOB_ID [options]

A queued job never runs; a running one is told to stop. A finished job cannot be cancelled.

Options:
  --json                 print the job as JSON

${CONNECTION}`,
};
