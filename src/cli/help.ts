/** Help texts, one per topic (`pitwall <topic> --help`). */

import { DEPLOY_HELP } from './deploy-help.js';
import { DRIFT_HELP } from './drift-help.js';
import { JOBS_HELP } from './jobs-help.js';
import { MODEL_HELP } from './model-help.js';

const CONNECTION = `Connection:
  --tracking-uri URL   server to talk to (default: $PITWALL_TRACKING_URI, then $MLFLOW_TRACKING_URI,
                       then http://127.0.0.1:5000)`;

export const HELP: Record<string, string> = {
  '': `pitwall — self-hosted MLOps: MLflow-compatible tracking, registry, serving, monitoring

Usage: pitwall [--tracking-uri URL] [--json] <command> [options]

Commands:
  server                 run the Pitwall server (API, UI, tracking store)
  migrate                bring the metadata database's schema up to date (the server also does it at start)
  doctor                 check the store, the artifact store and the job queue, and say what is wrong
  worker                 run background jobs (scale-out: beside servers started with jobs.inServer false)
  experiments list       list experiments
  experiments create     create an experiment
  runs list              list the runs of an experiment
  runs show              show one run: info, params, metrics, tags, datasets
  runs compare           compare params and metrics of several runs
  models register        upload a model file or directory and register it as a new version
  models list            list registered models
  models show            show a model's versions, or one version: signature, card, approvals, lineage
  models alias           point an alias (champion, staging…) at a version, or delete it
  models approve         approve (or --reject) a version
  models protect         let an alias point only at approved versions
  artifacts put          upload a file or directory to a run's artifacts
  artifacts get          download a run's artifact (or a model version's files)
  artifacts ls           list a run's artifacts
  jobs list              list background jobs and their state
  jobs show              show one job: attempts, output or last error
  jobs cancel            cancel a queued or running job
  deploy                 serve a model version on the server under a name, or switch a deployment to another
  deployments list       list deployments and whether they are ready
  deployments show       show a deployment: served versions, state, queue, last error
  deployments delete     delete a deployment
  serve                  serve one model version on its own port (mlflow models serve's routes)
  drift report           compare two files (CSV, JSON lines) column by column for data drift, no server

Options:
  -h, --help             help for pitwall or a command (pitwall runs list --help)
  -V, --version          print the version
  --tracking-uri URL     server to talk to (default: $PITWALL_TRACKING_URI, then $MLFLOW_TRACKING_URI,
                         then http://127.0.0.1:5000); also accepted after the command, which wins
  --json                 print JSON instead of tables (commands other than server)

Exit codes: 0 success, 1 failure (message on stderr), 2 wrong usage, 3 drift found (drift report --fail-on-drift).`,

  server: `Usage: pitwall server [options]

Runs the server in the foreground; SIGTERM or Ctrl-C stops it gracefully.

Options:
  --host HOST            address to bind (default 127.0.0.1; others need --insecure-bind)
  --port PORT            port to listen on (default 5000; 0 picks a free one)
  --data-dir DIR         where the database and artifacts live (default ./pitwall-data)
  --store URI            metadata store: sqlite:<path> (default <data-dir>/pitwall.db) or postgres://…
  --artifacts URI        artifact store: a directory, file:///dir (default <data-dir>/artifacts) or
                         s3://bucket/prefix (endpoint: $MLFLOW_S3_ENDPOINT_URL or $AWS_ENDPOINT_URL;
                         credentials: the usual AWS_* variables or ~/.aws)
  --config FILE          JSON config file (flags override it; $PITWALL_* variables sit in between)
  --insecure-bind        allow binding beyond loopback without authentication`,

  migrate: `Usage: pitwall migrate [options]

Applies the schema migrations this version has and the database lacks, then exits. Servers do the same at
start, so this is for upgrades done ahead of rolling servers (see docs/operations.md). Safe to run from several
places at once: PostgreSQL serialises migrations with a lock.

Options:
  --store URI            metadata store: sqlite:<path> (default <data-dir>/pitwall.db) or postgres://…
  --data-dir DIR         where the default SQLite database lives (default ./pitwall-data)
  --config FILE          JSON config file (flags override it; $PITWALL_* variables sit in between)
  --json                 print the result as JSON`,

  doctor: `Usage: pitwall doctor [options]

Checks, with the same settings a server would use, that the metadata store is reachable and its schema
current, that the artifact store can be written, read and deleted from, and that the job queue is reachable
and consumed by a worker. Prints one line per check and, for each problem, what to do about it. Changes
nothing except a probe object it writes and deletes and a probe job.

Options:
  --store URI            metadata store (as for pitwall server)
  --artifacts URI        artifact store (as for pitwall server)
  --data-dir DIR         data directory (default ./pitwall-data)
  --config FILE          JSON config file
  --wait-worker SECONDS  how long to wait for a worker to run the probe job (default 5; 0 skips it)
  --json                 print the checks as JSON

Exit code 1 when any check fails; warnings alone exit 0.`,

  experiments: `Usage: pitwall experiments <list|create> [options]

  list     list experiments          (pitwall experiments list --help)
  create   create an experiment      (pitwall experiments create --help)`,

  'experiments list': `Usage: pitwall experiments list [options]

Options:
  --view VIEW            active (default), deleted or all
  --filter FILTER        MLflow filter, e.g. "name LIKE 'bert-%'" or "tags.team = 'nlp'"
  --json                 print JSON instead of a table

${CONNECTION}`,

  'experiments create': `Usage: pitwall experiments create NAME [options]

Prints the new experiment's id.

Options:
  --artifact-location L  where the experiment's artifacts go (default: chosen by the server)
  --json                 print JSON

${CONNECTION}`,

  runs: `Usage: pitwall runs <list|show|compare> [options]

  list      list the runs of an experiment               (pitwall runs list --help)
  show      show one run                                 (pitwall runs show --help)
  compare   params and metrics of several runs, side by side`,

  'runs list': `Usage: pitwall runs list --experiment ID|NAME [options]

Options:
  --experiment, -e X     experiment id or name (repeat for several experiments)
  --filter FILTER        MLflow filter, e.g. "metrics.loss < 0.2 AND params.lr = '0.01'"
  --order-by ORDER       e.g. "metrics.loss ASC" (repeatable; default: newest first)
  --view VIEW            active (default), deleted or all
  --max N                show at most N runs (default 50)
  --json                 print JSON instead of a table

${CONNECTION}`,

  'runs show': `Usage: pitwall runs show RUN_ID [options]

RUN_ID may be the 8-character prefix that 'runs list' prints.

Options:
  --json                 print the run as JSON

${CONNECTION}`,

  ...MODEL_HELP,
  ...JOBS_HELP,
  ...DEPLOY_HELP,
  ...DRIFT_HELP,

  'runs compare': `Usage: pitwall runs compare RUN_ID RUN_ID [RUN_ID...] [options]

Params and latest metrics side by side; params that differ are marked with '*'.

Options:
  --json                 print JSON

${CONNECTION}`,
};

export function helpFor(topic: string): string {
  return HELP[topic] ?? HELP['']!;
}
