// Load helpers shared by the bench modules.

/** Runs `send` with `concurrency` in flight for `seconds`; resolves with requests per second. */
export async function sustain(send, seconds, concurrency) {
  let done = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await send();
        done++;
      }
    }),
  );
  return Math.round(done / ((performance.now() - started) / 1000));
}
