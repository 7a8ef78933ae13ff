import type { Directive } from 'vue'

/**
 * `v-scroll-region="'告警列表'"` on a box that scrolls (a wide table's wrapper, a long list): while its
 * content overflows, the box joins the tab order as a named region, so a keyboard can scroll it with
 * the arrow keys; when everything fits it stays out of the way. Registered for the whole app in main.ts.
 */
interface Watched extends HTMLElement { _scrollRegion?: { observer: ResizeObserver; label: string } }

function update(el: Watched): void {
  const overflows = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1
  if (overflows) {
    el.setAttribute('tabindex', '0')
    el.setAttribute('role', 'region')
    el.setAttribute('aria-label', el._scrollRegion?.label ?? '可滚动区域')
  } else {
    el.removeAttribute('tabindex')
    el.removeAttribute('role')
    el.removeAttribute('aria-label')
  }
}

function observe(el: Watched): void {
  const observer = el._scrollRegion!.observer
  observer.disconnect()
  observer.observe(el)
  for (const child of Array.from(el.children)) observer.observe(child)
}

export const vScrollRegion: Directive<Watched, string | undefined> = {
  mounted(el, binding) {
    el._scrollRegion = { observer: new ResizeObserver(() => update(el)), label: binding.value || '可滚动区域' }
    observe(el)
    update(el)
  },
  updated(el, binding) {
    if (!el._scrollRegion) return
    el._scrollRegion.label = binding.value || '可滚动区域'
    // The content may be new elements (a table drawn again): watch those.
    observe(el)
    update(el)
  },
  beforeUnmount(el) {
    el._scrollRegion?.observer.disconnect()
    delete el._scrollRegion
  },
}

declare module 'vue' {
  interface GlobalDirectives {
    vScrollRegion: typeof vScrollRegion
  }
}
