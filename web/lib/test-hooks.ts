/**
 * Hooks for the E2E tests: the map and chart instances, exposed on window only when the browser
 * says it is automated (navigator.webdriver), so that tests can query rendered features.
 */
export function registerTestHook(name: string, value: unknown): void {
  if (typeof navigator === 'undefined' || !navigator.webdriver) return
  const w = window as unknown as { __atlas?: Record<string, unknown> }
  w.__atlas ??= {}
  w.__atlas[name] = value
}

/** Removes a hook if it still holds `value` (a newer instance may have taken the name meanwhile). */
export function unregisterTestHook(name: string, value: unknown): void {
  if (typeof navigator === 'undefined' || !navigator.webdriver) return
  const hooks = (window as unknown as { __atlas?: Record<string, unknown> }).__atlas
  if (hooks && hooks[name] === value) delete hooks[name]
}

/** Records a performance mark once, e.g. when the wall screen is fully drawn. */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name)
}
