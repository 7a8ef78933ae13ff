import { onBeforeUnmount, onMounted } from 'vue'

/** Calls `handler` when Escape is pressed while the component is mounted (dialogs close with it). */
export function useEscapeKey(handler: () => void): void {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') handler()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
