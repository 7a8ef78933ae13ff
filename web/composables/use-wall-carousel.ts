import { computed, onBeforeUnmount, ref, watch } from 'vue'
import type { Ref } from 'vue'
import { nextPageIndex } from '../lib/wall-params.js'
import type { WallPageTurn } from '../lib/wall-params.js'

/**
 * The wall's carousel: shows each page for its dwell time, then the next, round and round. While
 * `hold` is true (a new 一级 alarm on screen) the page stays; it moves on once the hold ends.
 */
export function useWallCarousel(turns: Ref<readonly WallPageTurn[]>, hold: Ref<boolean>) {
  const index = ref(0)
  let timer: ReturnType<typeof setTimeout> | undefined
  let due = false

  function arm() {
    clearTimeout(timer)
    due = false
    const turn = turns.value[index.value]
    if (!turn || turns.value.length < 2) return
    timer = setTimeout(() => {
      due = true
      if (!hold.value) advance()
    }, turn.dwellSeconds * 1000)
  }

  function advance() {
    index.value = nextPageIndex(turns.value, index.value)
    arm()
  }

  watch(hold, (h) => {
    if (!h && due) advance()
  })
  // A new list (the URL changed, the domains became known): start again from its first page.
  watch(() => turns.value.map((t) => `${t.key}@${t.dwellSeconds}`).join(','), () => {
    index.value = 0
    arm()
  }, { immediate: true })
  onBeforeUnmount(() => clearTimeout(timer))

  const current = computed(() => turns.value[index.value] ?? turns.value[0]!)
  return { index, current }
}
