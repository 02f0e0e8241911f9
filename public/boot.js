// Starts the wasm app. It is an external module, not trunk's inline loader, so the
// Content-Security-Policy can forbid inline scripts on any static host.
// A failed start (no WebAssembly, a file that did not load) is told in plain words by
// fallback.js instead of leaving a blank page.
const tag = document.querySelector('script[data-js][data-wasm]');
// A citizen sent to the office app's address (`#/petition`) gets the citizens' own small
// build instead, where the hosted build has one (`cargo xtask build` names it here).
const citizens = document.querySelector('meta[name=xinfang-citizen]')?.content;
const redirected = citizens && location.hash.startsWith('#/petition');
if (redirected) location.replace(citizens + location.search + location.hash);
else try {
  if (typeof WebAssembly !== 'object') throw new Error('此浏览器不支持 WebAssembly');
  const { default: init } = await import(tag.dataset.js);
  await init({ module_or_path: tag.dataset.wasm });
  window.xinfangStarted?.();
} catch (e) {
  console.warn('信访案件管理未能启动', e);
  window.xinfangFailed?.(typeof WebAssembly === 'object' ? 'start' : 'engine', String(e?.message ?? e));
}

// Offline use of a hosted build: the service worker (written by `cargo xtask build`)
// keeps the app's files. A new version waits until the user applies it: the app hears
// `xinfang-update` and shows 新版本可用; its button calls `xinfangUpdate`, and the page
// reloads once the new worker has taken over.
// The citizens' page keeps no offline copy: a phone should not fetch the office app too.
const office = document.documentElement.dataset.app !== 'citizen';
if (office && !redirected && 'serviceWorker' in navigator && location.protocol !== 'file:') {
  const offer = (worker) => {
    window.xinfangUpdate = () => worker.postMessage('activate');
    window.dispatchEvent(new Event('xinfang-update'));
  };
  navigator.serviceWorker.register('./sw.js').then((reg) => {
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
      });
    });
  }, () => {
    // No sw.js (a development build): the app works online only.
  });
  let reloaded = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first worker taking over needs no reload; an update the user applied does.
    if (reloaded || !window.xinfangUpdate) return;
    reloaded = true;
    location.reload();
  });
}
