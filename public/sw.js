/* Tianping service worker.
 *
 * This file is a template: the server fills in the two constants below when it serves
 * /sw.js (a JSON array of URLs, and a build version), so the worker's bytes change with
 * every build and the browser installs the new one. Keep the placeholder text only on
 * those two lines: the server replaces every occurrence of it in this file.
 *
 * Plain JavaScript, no build step, so it can be read and changed without tooling.
 */
'use strict';

const VERSION = "__TIANPING_VERSION__";
const PRECACHE = "__TIANPING_PRECACHE__";

// Served straight from the public folder (e.g. during development) the list is still a
// string; fall back to what the offline page itself needs so the worker still installs.
const PRECACHE_URLS = Array.isArray(PRECACHE)
  ? PRECACHE
  : ['/offline.html', '/offline.css', '/offline.js', '/manifest.webmanifest'];

// Both caches carry the version, so a deploy retires them together: cached pages name the
// old hashed /pkg files, and keeping them past a deploy would mix old HTML with new WASM.
const STATIC_CACHE = `tp-static-${VERSION}`;
const PAGES_CACHE = `tp-pages-${VERSION}`;
const OFFLINE_URL = '/offline.html';

// Paths the worker must never answer or store. Server functions and settings change state
// or depend on the session; sandbox pages (SMS outbox, cashier) show one-time codes; kiosk
// pages are on a shared device; the health check must report the server, not a cache.
const BYPASS = ['/api', '/sandbox', '/settings', '/kiosk', '/healthz'];

// Hashed build output and icons never change under the same URL within a version.
const CACHE_FIRST = ['/pkg', '/icons'];

const PRECACHED_PATHS = new Set(
  PRECACHE_URLS.map((u) => new URL(u, self.location.origin).pathname)
);

function under(path, prefix) {
  return path === prefix || path.startsWith(prefix + '/');
}

// The server marks kiosk pages and signed-in pages so; honouring it here is what keeps a
// shared lobby kiosk, or a phone lent to someone, from showing a person's case offline.
function mayStore(response) {
  if (!response || response.status !== 200 || response.type !== 'basic') return false;
  const cc = (response.headers.get('Cache-Control') || '').toLowerCase();
  return !cc.includes('no-store') && !cc.includes('private');
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      // 'reload' skips the HTTP cache, so a stale copy from the last version cannot be
      // filed under the new version's name.
      await cache.addAll(PRECACHE_URLS.map((u) => new Request(u, { cache: 'reload' })));
      // A court deadline fix should reach people now, not after they close every tab; the
      // app loads its code up front, so an open page is not left asking for retired files.
      await self.skipWaiting();
    })()
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([STATIC_CACHE, PAGES_CACHE]);
      const names = await caches.keys();
      await Promise.all(names.filter((n) => !keep.has(n)).map((n) => caches.delete(n)));
      // Lets the page request start while the worker boots: on a slow phone this is the
      // difference between network-first costing nothing and costing a worker start-up.
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })()
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  // Range requests (media) cannot be answered from a full cached body.
  if (request.headers.has('range')) return;

  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (BYPASS.some((p) => under(path, p))) return;

  if (request.mode === 'navigate') {
    event.respondWith(networkFirstPage(event));
    return;
  }
  if (CACHE_FIRST.some((p) => under(path, p))) {
    event.respondWith(cacheFirst(event));
    return;
  }
  // The offline page's own stylesheet and script, the manifest and the like: fresh when
  // online, but still there when the offline page needs them.
  if (PRECACHED_PATHS.has(path)) {
    event.respondWith(networkThenCache(request));
  }
  // Anything else goes to the network untouched.
});

async function networkFirstPage(event) {
  const request = event.request;
  try {
    const response = (await event.preloadResponse) || (await fetch(request));
    if (mayStore(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES_CACHE).then((c) => c.put(request, copy)));
    }
    return response;
  } catch (err) {
    // ignoreVary: a page kept from before a language switch is still better than no page.
    const cached = await caches.match(request, { cacheName: PAGES_CACHE, ignoreVary: true });
    if (cached) return cached;
    const offline = await caches.match(OFFLINE_URL, { cacheName: STATIC_CACHE });
    if (offline) return offline;
    return new Response('离线 / 離線 / Offline', {
      status: 503,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  }
}

async function cacheFirst(event) {
  const request = event.request;
  const cached = await caches.match(request, { cacheName: STATIC_CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const copy = response.clone();
    event.waitUntil(caches.open(STATIC_CACHE).then((c) => c.put(request, copy)));
  }
  return response;
}

async function networkThenCache(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const cached = await caches.match(request, { cacheName: STATIC_CACHE, ignoreSearch: true });
    if (cached) return cached;
    throw err;
  }
}

// Kiosk reset: when a session ends on a shared device nothing may stay behind, including
// the pages cache and the precache (the next install refills what is needed). The sender
// may pass a MessagePort to learn when the caches are gone before it reloads.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'clear') return;
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.map((n) => caches.delete(n)));
      const reply = { type: 'cleared' };
      if (event.ports && event.ports[0]) event.ports[0].postMessage(reply);
      else if (event.source) event.source.postMessage(reply);
    })()
  );
});

// Web Push: the server sends each new notice, encrypted to this device, as
// {title, body, link, tag}. It is shown at once (browsers require a visible notice for every
// push), and tapping it opens the notice through the inbox, which marks it read.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (err) {
    data = {};
  }
  const title = data.title || '天平';
  const link = typeof data.link === 'string' && data.link.startsWith('/') && !data.link.startsWith('//') ? data.link : '/inbox';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: data.body || '',
      tag: data.tag || undefined,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { link },
    })
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const link = (event.notification.data && event.notification.data.link) || '/inbox';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && 'navigate' in client) {
          await client.focus();
          return client.navigate(link);
        }
      }
      return self.clients.openWindow(link);
    })()
  );
});
