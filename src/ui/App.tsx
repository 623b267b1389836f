import { Link } from './components/Link.js';
import { useLocation } from './hooks/useLocation.js';
import { ComparePage } from './pages/ComparePage.js';
import { ExperimentPage } from './pages/ExperimentPage.js';
import { ExperimentsPage } from './pages/ExperimentsPage.js';
import { RunPage } from './pages/RunPage.js';

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
    return <RunPage key={id} runId={id} />;
  }
  if (path === '/compare') return <ComparePage search={search} />;
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <span className="mono">{pathname}</span>. <Link to="/">Back to experiments</Link>
      </p>
    </div>
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
          <Link to="/">Experiments</Link>
        </nav>
      </header>
      <main className="app-main">
        <Route pathname={pathname} search={search} />
      </main>
    </>
  );
}
