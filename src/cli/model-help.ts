/** Help texts of the `models` and `artifacts` commands (merged into help.ts's HELP). */

// Same text as help.ts's; repeated here because help.ts imports this file.
const CONNECTION = `Connection:
  --tracking-uri URL   server to talk to (default: $PITWALL_TRACKING_URI, then $MLFLOW_TRACKING_URI,
                       then http://127.0.0.1:5000)`;

export const MODEL_HELP: Record<string, string> = {
  models: `Usage: pitwall models <register|list|show|alias|approve|protect> [options]

  register   upload a model and register it as a new version   (pitwall models register --help)
  list       list registered models
  show       a model and its versions, or one version in full
  alias      point an alias at a version, show it, or delete it
  approve    approve or reject a version
  protect    let aliases point only at approved versions

Versions are named NAME/VERSION (titanic/3), NAME@ALIAS (titanic@champion) or models:/… URIs.`,

  'models register': `Usage: pitwall models register PATH --name NAME [options]

Uploads PATH (a model file such as model.onnx or model.gguf, or a directory) to the artifact store, creates the
registered model NAME if it does not exist, and registers a new version. The server reads the model's files
and prints what it found: flavor, inputs and outputs with dtypes and shapes, files.

With --run the files go to the run's artifacts under model/ and the version is linked to the run (lineage);
otherwise they go to models/<name>/<random id>/ in the store.

Options:
  --name, -n NAME        registered model to add the version to (required)
  --run RUN_ID           store the model with this run's artifacts and link the version to it
  --description TEXT     the version's description
  --alias ALIAS          point ALIAS at the new version (repeatable)
  --json                 print the version as JSON

A progress bar (bytes, %, MB/s) is drawn on stderr when it is a terminal.

${CONNECTION}`,

  'models list': `Usage: pitwall models list [options]

Options:
  --filter FILTER        e.g. "name LIKE 'titanic%'" or "tags.team = 'risk'"
  --max N                show at most N models (default 100)
  --json                 print JSON instead of a table

${CONNECTION}`,

  'models show': `Usage: pitwall models show NAME | NAME/VERSION | NAME@ALIAS [options]

NAME: the model, its aliases and a table of its versions (aliases, stage, approval, flavor).
NAME/VERSION or NAME@ALIAS: one version: source and storage location, the manifest (flavor, signature with
dtypes and shapes, files), its card, approvals and lineage.

Options:
  --json                 print JSON

${CONNECTION}`,

  'models alias': `Usage: pitwall models alias NAME ALIAS VERSION     point ALIAS at VERSION
       pitwall models alias NAME ALIAS             show the version ALIAS points at
       pitwall models alias NAME ALIAS --delete    delete ALIAS

A protected alias (see 'models protect') only accepts a version whose latest review is an approval.

Options:
  --delete               delete the alias
  --json                 print JSON

${CONNECTION}`,

  'models approve': `Usage: pitwall models approve NAME/VERSION [options]

Records an approval of the version (NAME@ALIAS works too). The latest review counts.

Options:
  --reject               record a rejection instead
  --comment TEXT         why
  --approver WHO         who approves (default: your OS user name)
  --json                 print the approval as JSON

${CONNECTION}`,

  'models protect': `Usage: pitwall models protect NAME ALIAS [ALIAS...] [options]
       pitwall models protect NAME --clear

Sets the aliases of NAME that may only point at approved versions (replacing the list).

Options:
  --clear                protect no alias
  --json                 print JSON

${CONNECTION}`,

  artifacts: `Usage: pitwall artifacts <put|get|ls> [options]

  put   pitwall artifacts put LOCAL RUN_ID[/PATH]        upload a file or directory to a run
  get   pitwall artifacts get RUN_ID[/PATH] [DEST]       download a file or directory
        pitwall artifacts get models:/NAME/VERSION [DEST] download a model version's files
  ls    pitwall artifacts ls RUN_ID[/PATH]               list a run's artifacts

RUN_ID may be the 8-character prefix that 'runs list' prints; PATH is relative to the run's artifact root.`,

  'artifacts put': `Usage: pitwall artifacts put LOCAL RUN_ID[/PATH] [options]

Uploads LOCAL to the run's artifacts: a file to PATH/<file name>, a directory's contents below PATH (the run's
artifact root when PATH is left out). Files are streamed; a progress bar is drawn on stderr when it is a terminal.

Example: pitwall artifacts put plots/ 3f2a9c1e/figures

Options:
  --json                 print the uploaded paths as JSON

${CONNECTION}`,

  'artifacts get': `Usage: pitwall artifacts get RUN_ID[/PATH] [DEST] [options]
       pitwall artifacts get models:/NAME/VERSION|models:/NAME@ALIAS [DEST] [options]

Downloads a file to DEST (into DEST when it is a directory), or a directory's contents below DEST. Without DEST:
./<last segment of PATH>, ./<run id> for a whole run, ./<name>-v<version> for a model version's directory.
Files appear complete or not at all.

Options:
  --json                 print the written files as JSON

${CONNECTION}`,

  'artifacts ls': `Usage: pitwall artifacts ls RUN_ID[/PATH] [options]

Lists the files and directories directly below PATH in the run's artifacts.

Options:
  --json                 print JSON

${CONNECTION}`,
};
