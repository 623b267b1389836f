#!/usr/bin/env node
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  process.stderr.write(`pitwall: ${err?.stack ?? err}\n`);
  process.exit(1);
});
