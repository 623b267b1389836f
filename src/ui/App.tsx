import { Link } from './components/Link.js';
import { useLocation } from './hooks/useLocation.js';
import { ComparePage } from './pages/ComparePage.js';
import { DeploymentPage } from './pages/DeploymentPage.js';
import { DeploymentsPage } from './pages/DeploymentsPage.js';
import { ExperimentPage } from './pages/ExperimentPage.js';
import { ExperimentsPage } from './pages/ExperimentsPage.js';
import { ModelPage } from './pages/ModelPage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { MonitorPage } from './pages/MonitorPage.js';
import { MonitorRunPage } from './pages/MonitorRunPage.js';
import { MonitorsPage } from './pages/MonitorsPage.js';
import { ReviewsPage } from './pages/ReviewsPage.js';
import { RunPage } from './pages/RunPage.js';
import { VersionPage } from './pages/VersionPage.js';

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Client-side routes; the server answers every one of these paths with index.html. */
function Route({ pathname, search }: { pathname: string; search: string }) {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return <ExperimentsPage search={search} />;
  const experiment = /^\/experiments\/([^/]+)$/.exec(path);
  if (experiment?.[1]) {
    const id = decode(experiment[1]);
    // Keyed so that selection and paging start fresh for another experiment.
    return <ExperimentPage key={id} experimentId={id} search={search} />;
  }
  const run = /^\/runs\/([^/]+)$/.exec(path);
  if (run?.[1]) {
    const id = decode(run[1]);
    return <RunPage key={id} runId={id} search={search} />;
  }
  if (path === '/compare') return <ComparePage search={search} />;
  if (path === '/models') return <ModelsPage search={search} />;
  const model = /^\/models\/([^/]+)$/.exec(path);
  if (model?.[1]) {
    const name = decode(model[1]);
    return <ModelPage key={name} name={name} />;
  }
  const version = /^\/models\/([^/]+)\/versions\/([^/]+)$/.exec(path);
  if (version?.[1] && version[2]) {
    const name = decode(version[1]);
    const v = decode(version[2]);
    return <VersionPage key={`${name}/${v}`} name={name} version={v} />;
  }
  if (path === '/deployments') return <DeploymentsPage />;
  const deployment = /^\/deployments\/([^/]+)$/.exec(path);
  if (deployment?.[1]) {
    const name = decode(deployment[1]);
    // Keyed so that another deployment starts with a spinner and its own refresh timer.
    return <DeploymentPage key={name} name={name} />;
  }
  if (path === '/monitors') return <MonitorsPage />;
  const monitor = /^\/monitors\/([^/]+)$/.exec(path);
  if (monitor?.[1]) {
    const name = decode(monitor[1]);
    return <MonitorPage key={name} name={name} />;
  }
  const check = /^\/monitors\/([^/]+)\/runs\/([^/]+)$/.exec(path);
  if (check?.[1] && check[2]) {
    const name = decode(check[1]);
    const id = decode(check[2]);
    return <MonitorRunPage key={`${name}/${id}`} name={name} id={id} />;
  }
  if (path === '/reviews') return <ReviewsPage search={search} />;
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <span className="mono">{pathname}</span>. <Link to="/">Back to experiments</Link>
      </p>
    </div>
  );
}

function NavLink({ to, active, testId, children }: { to: string; active: boolean; testId?: string; children: string }) {
  return (
    <Link to={to} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined} data-testid={testId}>
      {children}
    </Link>
  );
}

export function App() {
  const { pathname, search } = useLocation();
  return (
    <>
      <header className="app-header">
        <Link to="/" className="brand" data-testid="brand">
          <span className="brand-mark" aria-hidden="true" />
          Pitwall
        </Link>
        <nav className="app-nav">
          <NavLink to="/" active={!['/models', '/deployments', '/monitors', '/reviews'].some((p) => pathname.startsWith(p))}>
            Experiments
          </NavLink>
          <NavLink to="/models" active={pathname.startsWith('/models')} testId="nav-models">
            Models
          </NavLink>
          <NavLink to="/deployments" active={pathname.startsWith('/deployments')} testId="nav-deployments">
            Deployments
          </NavLink>
          <NavLink to="/monitors" active={pathname.startsWith('/monitors')} testId="nav-monitors">
            Monitors
          </NavLink>
          <NavLink to="/reviews" active={pathname.startsWith('/reviews')} testId="nav-reviews">
            Reviews
          </NavLink>
        </nav>
      </header>
      <main className="app-main">
        <Route pathname={pathname} search={search} />
      </main>
    </>
  );
}
