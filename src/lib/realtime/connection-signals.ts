// What the app-wide connection notice and the screens with live figures tell each other, without
// knowing about each other: a screen reports trouble it noticed (its live channel dropped), and
// the notice says when the server answers again after a loss, so live screens reload what they
// show (a loaded page's own data is reloaded with invalidateAll; live rows are not page data).

type Listener = () => void;

const troubleListeners = new Set<Listener>();
const restoredListeners = new Set<Listener>();

function subscribe(listeners: Set<Listener>, listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Something on this screen failed the way a lost connection fails; the notice checks at once. */
export function reportConnectionTrouble(): void {
  for (const listener of troubleListeners) listener();
}

export function onConnectionTrouble(listener: Listener): () => void {
  return subscribe(troubleListeners, listener);
}

/** The server answers again after a loss: whatever changed meanwhile was missed. */
export function announceConnectionRestored(): void {
  for (const listener of restoredListeners) listener();
}

export function onConnectionRestored(listener: Listener): () => void {
  return subscribe(restoredListeners, listener);
}
