import { deploymentEndpoints } from '../../deployment-format.js';
import { CopyButton } from '../CopyButton.js';

/** Where to send requests: the KServe V2 and MLflow scoring URLs on this server, each with a copy button. */
export function Endpoints({ origin, name }: { origin: string; name: string }) {
  return (
    <ul className="endpoints" data-testid="endpoints">
      {deploymentEndpoints(origin, name).map((e) => (
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
  );
}
