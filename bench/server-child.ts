// Starts a Pitwall server for a benchmark in its own process: argv = dataDir port [storeUri].
import { startServer } from '../src/server.js';

const [dataDir, port, storeUri] = process.argv.slice(2);
await startServer({ dataDir: dataDir!, server: { port: Number(port) }, log: { level: 'warn' }, ...(storeUri ? { store: { uri: storeUri } } : {}) });
