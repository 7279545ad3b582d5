// Offline service worker of the handbook and calculator (scope: the site root).
// Generated at build time from scripts/offline/sw.js by scripts/offline/service_worker.py,
// which fills in BUILD: every file of this build with its sha256, and a build id made from them.
// Registered by the calculator page once the calculator has loaded.
//
// Freshness: any change to any file (the policy data is in the pages and in the calculator wheel)
// changes this file, so the browser installs the new worker at the next visit. Online, every file
// is fetched from the network first and the cache is only the offline fallback; the only files
// served from the cache first are those whose name carries their content hash (the calculator wheel,
// the calculator page's content-named directory, mkdocs-material's bundles, the handbook's own
// stylesheets and script), which cannot be stale. Each cache belongs to one build and holds
// exactly the bytes the build lists (checked by sha256 at install); older caches are deleted when the
// new worker takes over.

const BUILD = /*@BUILD@*/null;

const PREFIX = "shiqiao-handbook-";
const CACHE = PREFIX + BUILD.build;
const ROOT = new URL("./", self.location.href);
const BUILD_KEY = new URL("__build__.json", ROOT).href; // each cache records the build it holds
// Names that carry their content hash. Not the runtime's content-named directory
// (assets/pyodide/<hash>/), although it is immutable too: see RUNTIME.
const HASHED_NAME = [/\+[0-9a-f]{8}-(py3|cp3[0-9]+)-none-any\.whl$/, /\.[0-9a-f]{8}(\.min)?\.(js|css)$/,
  /^assets\/calculator-[0-9a-f]{16}\/[^/]+$/]; // the calculator page's own files (scripts/calculator_page/page.py)
// The Pyodide runtime's content-named directory: online, this worker leaves its requests alone (no
// respondWith), so the browser takes them from its HTTP cache (immutable: no request) and reuses
// the WebAssembly it compiled there on the first visit. A response this worker hands over, whether
// from Cache Storage or its own fetch(), makes chromium compile the 8 MB interpreter all over
// again (a tracing of a revisit: wasm.Deserialize with the browser alone, lazy compilation of
// every function through this worker). Offline, the copy in Cache Storage answers.
const RUNTIME = /^assets\/pyodide\/[0-9a-f]{16}\//;
const PARALLEL = 6;

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(buffer) {
  return hex(await crypto.subtle.digest("SHA-256", buffer));
}

// The same bytes from an older build's cache, if one has them.
async function fromOlderCache(path, digest) {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const meta = await cache.match(BUILD_KEY);
    if (!meta) continue;
    const old = await meta.json();
    if (old.files && old.files[path] === digest) {
      const response = await cache.match(new URL(path, ROOT).href);
      if (response) return response;
    }
  }
  return null;
}

async function precacheOne(cache, path, digest) {
  const url = new URL(path, ROOT).href;
  const reused = await fromOlderCache(path, digest);
  if (reused) {
    await cache.put(url, reused);
    return;
  }
  // "no-cache": revalidate with the server, so an old copy in the HTTP cache is never taken.
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  const body = await response.arrayBuffer();
  const got = await sha256(body);
  if (got !== digest) throw new Error(`${path}: the server has other content than this build (${got})`);
  const headers = { "Content-Type": response.headers.get("Content-Type") || "application/octet-stream" };
  await cache.put(url, new Response(body, { status: 200, headers }));
}

async function install() {
  const cache = await caches.open(CACHE);
  const meta = await cache.match(BUILD_KEY);
  if (meta) return; // this build is already complete in its cache
  const queue = Object.entries(BUILD.files);
  const workers = Array.from({ length: PARALLEL }, async () => {
    while (queue.length) {
      const [path, digest] = queue.shift();
      await precacheOne(cache, path, digest);
    }
  });
  try {
    await Promise.all(workers);
  } catch (err) {
    await caches.delete(CACHE); // never keep a half or mixed build
    throw err;
  }
  await cache.put(BUILD_KEY, new Response(JSON.stringify(BUILD), { headers: { "Content-Type": "application/json" } }));
}

self.addEventListener("install", (event) => {
  event.waitUntil(install().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The build's path for a request URL, or null when the file is not part of the build.
function buildPath(url) {
  if (url.origin !== ROOT.origin || !url.pathname.startsWith(ROOT.pathname)) return null;
  let path;
  try {
    path = decodeURIComponent(url.pathname.slice(ROOT.pathname.length));
  } catch (err) {
    return null;
  }
  if (path === "" || path.endsWith("/")) path += "index.html";
  return Object.prototype.hasOwnProperty.call(BUILD.files, path) ? path : null;
}

async function fromCache(path) {
  const cache = await caches.open(CACHE);
  return cache.match(new URL(path, ROOT).href);
}

// Whether a request this worker sent to the network has failed. navigator.onLine alone does not tell:
// chromium 150 keeps it true in a service worker whose browser is offline (its DevTools emulation),
// and the runtime's requests would then fail instead of coming from Cache Storage. A page opened
// offline asks for its HTML (network first) before its runtime, so this is known by then. It is not
// cleared by a later success, which may be the HTTP cache answering offline (an immutable file):
// the flag lasts as long as this worker, which the browser stops once it is idle, so a later visit
// starts online again.
let networkFailed = false;

async function networkFirst(request, path) {
  try {
    return await fetch(request);
  } catch (err) {
    networkFailed = true;
    const cached = await fromCache(path);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request, path) {
  return (await fromCache(path)) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const path = buildPath(new URL(request.url));
  if (path === null) return; // not part of the site: the browser handles it as usual
  if (RUNTIME.test(path) && self.navigator.onLine && !networkFailed) return;
  const hashed = HASHED_NAME.some((re) => re.test(path));
  event.respondWith(hashed ? cacheFirst(request, path) : networkFirst(request, path));
});
