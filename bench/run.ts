// `npm run bench`: every benchmark, printing ratios and times. Figures go into docs/benchmarks.md by hand.
import { benchArtifacts } from './artifacts.js';
import { benchDrift } from './drift.js';
import { benchHistory } from './history.js';
import { benchIngest } from './ingest.js';
import { benchLlm } from './llm.js';
import { benchMonitoring } from './monitoring.js';
import { benchPostgres } from './postgres.js';
import { benchSearch } from './search.js';
import { benchServing } from './serving.js';

console.log(`Pitwall benchmarks — node ${process.version}, ${new Date().toISOString()}`);
await benchIngest();
await benchPostgres();
await benchSearch();
await benchHistory();
await benchArtifacts();
await benchServing();
await benchLlm();
await benchMonitoring();
await benchDrift();
