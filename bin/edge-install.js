#!/usr/bin/env node
// Thin entry: the CLI lives in the built code (npm run build writes dist/).
// The AWS SDK warns on Node 20 that its releases from 2027 will need Node 22; edge-install pins
// its SDK and supports Node 20, so the note is not the user's to act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import('../dist/cli/main.js').catch((error) => {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli/main.js')) {
    console.error('edge-install: the CLI is not built yet. Run `npm run build` in the package directory.');
    process.exit(1);
  }
  throw error;
});
