// The service worker of a hosted build: keeps the app's own files so it opens with no
// network after the first visit. `cargo xtask build` writes dist/sw.js from this
// template with the build's file list and a version that changes with any file.
// A new version installs beside the old one and waits: the page shows 新版本可用 and
// the user's click posts 'activate' (drafts are already in IndexedDB, so none is lost).
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `xinfang-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('xinfang-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'activate') self.skipWaiting();
});

// The app's files from the cache, anything else (the citizen page's config, a newer
// file) from the network; nothing outside this origin is ever asked for.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true }))
      .then((hit) => hit || fetch(request)),
  );
});
