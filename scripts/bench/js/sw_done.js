// page.evaluate: whether the service worker controls the page and its cache holds the whole build.
async () => {
  if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return false;
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(new URL("__build__.json", location.origin + "/").href)) return true;
  }
  return false;
}
