// Offline use: registers the service worker (www/sw.js), which keeps a copy of every file the
// page loads, once the playground has loaded everything it needs online. `genplay.offline`
// resolves to true when this page is under the service worker's control (a reload then works
// with the network off), or to false where the browser cannot (no service workers, or a page
// opened from a file), with the reason in `genplay.offlineNote`.

/** @param {Promise} loaded resolves once every lab's code is loaded (`genplay.loaded`) */
export function keepForOffline(loaded) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) {
    window.genplay.offlineNote = "this browser cannot keep the playground for offline use here";
    return Promise.resolve(false);
  }
  // After the first visit's own loading, so that copying the files takes nothing from it.
  return loaded
    .then(() => navigator.serviceWorker.register("sw.js"))
    .then(() => navigator.serviceWorker.ready)
    .then(() => controlled())
    .then(() => true)
    .catch((error) => {
      window.genplay.offlineNote = `offline use is unavailable: ${error?.message ?? error}`;
      return false;
    });
}

/** Resolves once a service worker controls this page (it claims the page when it activates). */
function controlled() {
  if (navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((ok) =>
    navigator.serviceWorker.addEventListener("controllerchange", () => ok(), { once: true }),
  );
}
