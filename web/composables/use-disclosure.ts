import { onBeforeUnmount, onMounted, ref } from 'vue'
import type { Ref } from 'vue'

/**
 * A button that opens a panel (a menu of links, a few switches): a click outside closes it, and so does
 * Escape, which gives the focus back to the button.
 */
export function useDisclosure(root: Ref<HTMLElement | null>, button: Ref<HTMLElement | null>): Ref<boolean> {
  const open = ref(false)
  const onDocumentClick = (e: MouseEvent) => {
    if (open.value && root.value && !root.value.contains(e.target as Node)) open.value = false
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !open.value) return
    open.value = false
    button.value?.focus()
  }
  // Focus leaving the panel and its button (Tab past the last item) closes it too.
  const onFocusIn = (e: FocusEvent) => {
    if (open.value && root.value && e.target instanceof Node && !root.value.contains(e.target)) open.value = false
  }
  onMounted(() => {
    document.addEventListener('click', onDocumentClick)
    document.addEventListener('keydown', onKey)
    document.addEventListener('focusin', onFocusIn)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('click', onDocumentClick)
    document.removeEventListener('keydown', onKey)
    document.removeEventListener('focusin', onFocusIn)
  })
  return open
}
