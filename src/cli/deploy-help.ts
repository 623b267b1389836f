/** Help texts of `pitwall deploy`, `pitwall deployments …` and `pitwall serve` (merged into help.ts's HELP). */

// Same text as help.ts's; repeated here because help.ts imports this file.
const CONNECTION = `Connection:
  --tracking-uri URL   server to talk to (default: $PITWALL_TRACKING_URI, then $MLFLOW_TRACKING_URI,
                       then http://127.0.0.1:5000)`;

const SERVING = `Serving (each sets one field of the deployment's config; the server's defaults otherwise):
  --max-batch-size N       most rows run in one batch; 1 turns dynamic batching off (1-4096, default 32)
  --max-queue-delay-ms N   longest a request waits for others to join its batch (0-10000, default 5)
  --max-queue N            requests waiting at most; one more gets a 429 (1-100000, default 256)
  --timeout-ms N           default deadline of a request; a request may set its own with the
                           x-pitwall-timeout-ms header (1-3600000, default 10000; 300000 for an LLM)
  --threads N              threads the model computes with: onnxruntime's inside one operator for an ONNX
                           model (1-64, default 1), llama.cpp's for a GGUF LLM (0-256, default 0: half the cores)

LLMs (GGUF models, answered on the OpenAI-compatible API under /v1):
  --parallel N             sequences generated at once, continuously batched (1-256, default 4)
  --context-size N         tokens one sequence holds, prompt and answer; 0: the model's training context, at
                           most 4096 (0-1048576, default 0)
  --kv-cache-mb N          most memory the KV cache of all sequences may take, MiB (1-1048576, default 1024); a
                           load needing more for parallel x context-size is refused`;

export const DEPLOY_HELP: Record<string, string> = {
  deploy: `Usage: pitwall deploy NAME MODEL_URI [options]

Serves a registered model version under the deployment NAME, on the server (and every replica on its store).
MODEL_URI is models:/MODEL@ALIAS (the deployment follows the alias: when it moves, the new version is loaded,
warmed up and swapped in), models:/MODEL/VERSION, or upstream:UPSTREAM (an upstream OpenAI-compatible server from
the server's configuration, serving.upstreams). If NAME exists it is switched to MODEL_URI the same way, with
no failed request; serving flags given change only those fields of its config.

Then waits until the deployment is ready, showing what each target is doing, and prints its endpoints and curl
examples built from the model's inputs; for an LLM (a GGUF model), the OpenAI-compatible endpoints under /v1 with
a chat completion and a streamed completion to try, NAME being the "model" of those requests. If the model cannot
be loaded the server's error is printed and the exit code is 1. To list, inspect or delete deployments:
pitwall deployments --help.

Examples:
  pitwall deploy titanic models:/titanic@champion
  pitwall deploy titanic models:/titanic/3 --max-batch-size 64 --timeout-ms 2000
  pitwall deploy stories models:/stories@prod --parallel 8 --context-size 1024

Options:
  --description TEXT       what the deployment is for
  --no-wait                return once the deployment is written; loading goes on in the background
  --wait-seconds N         give up waiting after N seconds (default 300; loading goes on)
  --json                   print the deployment, its status and endpoints as JSON

${SERVING}

${CONNECTION}`,

  deployments: `Usage: pitwall deployments <list|show|delete> [options]

  list     deployments, their targets and whether they are ready   (pitwall deployments list --help)
  show     one deployment: config, and per target the served version, state, memory, queue (LLMs: slots,
           tokens, latencies), last error
  delete   delete a deployment (requests in flight finish first)

Create or switch one with: pitwall deploy NAME MODEL_URI`,

  'deployments list': `Usage: pitwall deployments list [options]

By name. STATE is what the server answering says: ready, loading or failed.

Options:
  --max N                  show at most N deployments (default 100)
  --json                   print JSON instead of a table

${CONNECTION}`,

  'deployments show': `Usage: pitwall deployments show NAME [options]

The deployment's record, and the answering server's view of each target: the version it serves, its state
(loading, ready, failed), memory, batching mode, requests in flight and queued, and the last load error. For an
LLM also: slots in use, requests waiting for one, prompt / generated / cached prompt tokens, time to first token
(p50, p95) and time per output token (p50).

Options:
  --json                   print {deployment, status} as JSON

${CONNECTION}`,

  'deployments delete': `Usage: pitwall deployments delete NAME [options]

Requests in flight finish; then the deployment's models are released.

Options:
  --json                   print JSON

${CONNECTION}`,

  serve: `Usage: pitwall serve MODEL_URI [options]

Serves one registered model version on its own port, like 'mlflow models serve -m models:/…': POST /invocations
(MLflow's scoring protocol: dataframe_split, dataframe_records, instances, inputs, or CSV) and GET /ping, beside
POST /v2/models/NAME/infer (KServe V2). MODEL_URI is models:/MODEL@ALIAS (followed as the alias moves) or
models:/MODEL/VERSION, read from the same store as pitwall server (--data-dir or --store, and --artifacts). Nothing
is stored: this is not a deployment of the main server. Runs no background jobs.

Prints where it listens, then, once the model is loaded and warmed up, a curl example. An LLM (a GGUF model) is
answered on the OpenAI-compatible API instead: POST /v1/chat/completions, POST /v1/completions, GET /v1/models,
with NAME as "model". Exit code 1 if the model cannot be found or loaded. SIGTERM or Ctrl-C drains and stops it.

Options:
  --port PORT              port to listen on (default 5001, beside a pitwall server on 5000; 0 picks a free one;
                           $PITWALL_PORT and a config file's port are for pitwall server)
  --host HOST              address to bind (default 127.0.0.1; others need --insecure-bind)
  --name NAME              the deployment name in /v2/models/NAME, or an LLM's "model" (default: the model's name)
  --data-dir DIR           where the database and artifacts live (default ./pitwall-data)
  --store URI              metadata store: sqlite:<path> or postgres://…
  --artifacts URI          artifact store (as for pitwall server)
  --config FILE            JSON config file (flags override it; $PITWALL_* variables sit in between)
  --insecure-bind          allow binding beyond loopback without authentication

${SERVING}`,
};
