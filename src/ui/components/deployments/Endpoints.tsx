import { deploymentEndpoints, llmEndpoints } from '../../deployment-format.js';
import { CopyButton } from '../CopyButton.js';

/**
 * Where to send requests, each URL with a copy button: the KServe V2 and MLflow scoring URLs of a tensor model, or
 * the OpenAI-compatible API of an LLM (with the deployment's name as `model`, and how to point an OpenAI client here).
 */
export function Endpoints({ origin, name, llm = false }: { origin: string; name: string; llm?: boolean }) {
  const base = `${origin.replace(/\/+$/, '')}/v1`;
  return (
    <>
      <ul className="endpoints" data-testid="endpoints" data-protocol={llm ? 'openai' : 'tensor'}>
        {(llm ? llmEndpoints(origin) : deploymentEndpoints(origin, name)).map((e) => (
          <li key={e.url} data-testid="endpoint">
            <div className="endpoint-protocol">{e.protocol}</div>
            <div className="endpoint">
              <span className="method">{e.method}</span>
              <span className="mono break endpoint-url" data-testid="endpoint-url">
                {e.url}
              </span>
              <CopyButton text={e.url} />
            </div>
          </li>
        ))}
      </ul>
      {llm && (
        <p className="muted small" data-testid="openai-hint">
          Send <span className="mono">{`"model": ${JSON.stringify(name)}`}</span>. With the <span className="mono">openai</span> client:{' '}
          <span className="mono break">{`base_url="${base}"`}</span> (Python), <span className="mono break">{`baseURL: "${base}"`}</span> (JS).
        </p>
      )}
    </>
  );
}
