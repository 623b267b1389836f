// Starts a Pitwall server for a benchmark in its own process: argv = dataDir port.
import { startServer } from '../src/server.js';

const [dataDir, port] = process.argv.slice(2);
await startServer({ dataDir: dataDir!, server: { port: Number(port) }, log: { level: 'warn' } });
