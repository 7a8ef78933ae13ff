import { computed, onBeforeUnmount, onMounted, ref } from 'vue'
import type { ComputedRef } from 'vue'
import { useSettingsStore } from '../stores/settings.js'

/**
 * The app's layout widths, as its container queries (`@container app (max-width: …)`) use them: at
 * most `drawer` px the workspace's filters are a drawer; at most `phone` px a phone's read-only view.
 */
export const LAYOUT_WIDTHS = { drawer: 1440, phone: 600 } as const

/**
 * The width the app lays out in, in its own CSS px: the window's, less what 大字号 takes. Scripts that
 * must agree with the container queries (a drawer or not, a phone or not) ask this, not matchMedia.
 */
export function useAppWidth(): ComputedRef<number> {
  const settings = useSettingsStore()
  const viewport = ref(document.documentElement.clientWidth || window.innerWidth)
  const onResize = () => (viewport.value = document.documentElement.clientWidth || window.innerWidth)
  onMounted(() => {
    onResize()
    window.addEventListener('resize', onResize)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', onResize))
  return computed(() => viewport.value / settings.textZoom)
}
