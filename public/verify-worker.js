// Verifies an import file off the page's thread (see src/platform/worker.rs): loads
// the app's own glue with the compiled module the page hands over, runs
// `verify_transfer` on its share of the events' signatures (one worker per core), and
// posts its answer. A failure to load answers ["failed", …], and
// the page then verifies in place.
self.onmessage = async ({ data }) => {
  try {
    const glue = await import(data.js);
    await glue.default({ module_or_path: data.module });
    self.postMessage(glue.verify_transfer(new Uint8Array(data.bytes), data.secret, data.share, data.of));
  } catch (e) {
    self.postMessage(['failed', String(e)]);
  }
};
