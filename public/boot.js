// Starts the wasm app. It is an external module, not trunk's inline loader, so the
// Content-Security-Policy can forbid inline scripts on any static host.
const tag = document.querySelector('script[data-js][data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
