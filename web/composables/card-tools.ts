import type { InjectionKey } from 'vue'

/**
 * Where a card (LayoutCard) takes small tools of what it holds, in its header beside the title: a
 * chart's 「表格」 toggle goes there instead of over the chart's legend. The value is the id of the
 * header's tool box, for a deferred Teleport.
 */
export const CARD_TOOLS: InjectionKey<string> = Symbol('card-tools')
