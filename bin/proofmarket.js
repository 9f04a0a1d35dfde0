#!/usr/bin/env node
// `npx proofmarket ...`: the compiled CLI (npm install builds dist/ via the prepare script).
let cli;
try {
  cli = require('../dist/src/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]src[\\/]cli[\\/]main/.test(String(err.message))) {
    process.stderr.write('error: proofmarket is not built; run "npm install" (or "npm run build:ts") first\n');
    process.exit(1);
  }
  throw err;
}
cli.runCli();
