#!/usr/bin/env node
// Thin entry: the CLI lives in the built code (npm run build writes dist/).
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    console.error('edge-install: the CLI is not built yet. Run `npm run build` in the package directory.');
    process.exit(1);
  }
  throw error;
});
