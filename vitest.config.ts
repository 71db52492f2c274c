import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two workers on CI's two cores (vitest's default is cores - 1): most of a test's time is the
    // sandbox and the SDK talking over loopback, so two files at once finish sooner, busy machine or not.
    maxWorkers: 2,
    // Generous caps, not goals: they only turn a hang into a failure. No test relies on finishing
    // within them (speed goals live in `npm run bench`), so a loaded machine does not fail a test.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The SDK warns once per process that Node 20 support ends in 2027; it says nothing about the code under test.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
