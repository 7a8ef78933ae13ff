import { nextTick, onBeforeUnmount, onMounted, watch } from 'vue'
import type { Ref } from 'vue'

/** The open modals, the newest last: only it answers Tab and Escape. */
const stack: symbol[] = []

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), summary'

function focusables(panel: HTMLElement): HTMLElement[] {
  return Array.from(panel.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null || el === document.activeElement)
}

/**
 * A modal dialog (or drawer) while it is open: the focus moves into it, Tab and Shift+Tab go round
 * inside it, Escape closes it, and on closing the focus goes back where it was. `active` (default:
 * while mounted) is for a panel that stays in the page and opens and closes (the filter drawer).
 */
export function useModalDialog(panel: Ref<HTMLElement | null>, close: () => void, active?: Ref<boolean>): void {
  const id = Symbol('dialog')
  let returnTo: HTMLElement | null = null

  const onKey = (e: KeyboardEvent) => {
    if (stack[stack.length - 1] !== id || !panel.value) return
    if (e.key === 'Escape') {
      e.preventDefault()
      close()
      return
    }
    if (e.key !== 'Tab') return
    const items = focusables(panel.value)
    if (!items.length) {
      e.preventDefault()
      panel.value.focus()
      return
    }
    const first = items[0]!
    const last = items[items.length - 1]!
    const inside = panel.value.contains(document.activeElement)
    if (e.shiftKey && (document.activeElement === first || !inside)) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
      e.preventDefault()
      first.focus()
    }
  }

  async function open() {
    if (stack.includes(id)) return
    returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null
    stack.push(id)
    document.addEventListener('keydown', onKey)
    await nextTick()
    const el = panel.value
    if (!el || el.contains(document.activeElement)) return
    // The first field to fill in if there is one, else the first control, else the panel itself.
    const target = el.querySelector<HTMLElement>('[autofocus]') ?? focusables(el).find((x) => x.matches('input, select, textarea')) ?? focusables(el)[0]
    if (target) target.focus()
    else {
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1')
      el.focus()
    }
  }
  function release() {
    const at = stack.indexOf(id)
    if (at < 0) return
    stack.splice(at, 1)
    document.removeEventListener('keydown', onKey)
    if (returnTo?.isConnected) returnTo.focus()
    returnTo = null
  }

  if (active) {
    watch(active, (on) => void (on ? open() : release()))
    onMounted(() => void (active.value && open()))
  } else {
    onMounted(() => void open())
  }
  onBeforeUnmount(release)
}
