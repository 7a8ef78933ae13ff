import { ref, shallowRef } from 'vue'
import { takeChosenFile } from './chosen-file.js'
import { userMessage } from '../lib/user-message.js'

export interface PreviewConfirmOptions<Request, Preview extends { planHash: string }, Result> {
  /** Checks a chosen file before anything is sent: the message in Chinese, or null. */
  fileProblem: (file: File) => string | null
  /** What a preview sends, and its confirmation sends again: the file with the user's current choices. */
  request: (file: File) => Request
  preview: (request: Request) => Promise<Preview>
  /** Writes what was previewed, if the plan (its hash) still holds. */
  confirm: (request: Request, planHash: string) => Promise<Result>
  /** The fresh preview a refused confirmation carries when the data changed since the preview (409 plan_changed). */
  planChanged: (error: unknown) => Preview | undefined
  /** Shown above that fresh preview, asking to check it and confirm again. */
  changedNotice: string
  /** A confirmation refused for the file's problems (422): the preview to list them in, and a message if any. */
  problemsFound: (error: unknown, shown: Preview) => { preview: Preview; error?: string } | undefined
}

/**
 * Upload, preview, then confirm: the flow of the survey-forms and the geodata imports. Choosing a
 * file checks it, copies it (takeChosenFile) and asks for a preview; the confirmation sends the same
 * request with the preview's plan hash. If the data changed in between, the server answers a fresh
 * preview, shown with a notice to confirm again. Answers to superseded requests are dropped (a
 * generation counter). Nothing is written before the confirmation.
 */
export function usePreviewConfirm<Request, Preview extends { planHash: string }, Result>(options: PreviewConfirmOptions<Request, Preview, Result>) {
  const file = shallowRef<File | null>(null)
  const chosenName = ref('')
  const busy = ref<'preview' | 'import' | null>(null)
  const error = ref<string | null>(null)
  const notice = ref<string | null>(null)
  const preview = shallowRef<Preview | null>(null)
  const result = shallowRef<Result | null>(null)
  /** The request of the preview on screen: the confirmation must send exactly this with its plan hash. */
  let previewed: Request | null = null
  let generation = 0

  /** Forgets the file and every answer; a request still under way is ignored when it answers. */
  function clear() {
    generation++
    file.value = null
    chosenName.value = ''
    busy.value = null
    error.value = null
    notice.value = null
    preview.value = null
    result.value = null
    previewed = null
  }

  /** The change event of the file input. */
  async function choose(event: Event) {
    const input = event.target as HTMLInputElement
    const chosen = input.files?.[0] ?? null
    clear()
    chosenName.value = chosen?.name ?? ''
    if (!chosen) return
    error.value = options.fileProblem(chosen)
    if (error.value) return
    const taken = await takeChosenFile(input, chosen)
    if (typeof taken === 'string') {
      error.value = taken
      return
    }
    file.value = taken
    await runPreview()
  }

  /** Previews the chosen file with the current choices; the preview on screen stays until the answer. */
  async function runPreview() {
    if (!file.value) return
    const request = options.request(file.value)
    const gen = ++generation
    busy.value = 'preview'
    error.value = null
    notice.value = null
    result.value = null
    try {
      const answer = await options.preview(request)
      if (gen !== generation) return
      preview.value = answer
      previewed = request
    } catch (e) {
      if (gen !== generation) return
      preview.value = null
      previewed = null
      error.value = userMessage(e)
    } finally {
      if (gen === generation) busy.value = null
    }
  }

  /** Confirms the preview on screen; answers what was written, or null when it was refused. */
  async function confirm(): Promise<Result | null> {
    const shown = preview.value
    if (!shown || !previewed) return null
    const gen = ++generation
    busy.value = 'import'
    error.value = null
    notice.value = null
    try {
      const done = await options.confirm(previewed, shown.planHash)
      result.value = done
      return done
    } catch (e) {
      const fresh = options.planChanged(e)
      const refused = fresh ? undefined : options.problemsFound(e, shown)
      if (fresh) {
        preview.value = fresh
        notice.value = options.changedNotice
      } else if (refused) {
        preview.value = refused.preview
        if (refused.error) error.value = refused.error
      } else {
        error.value = userMessage(e)
      }
      return null
    } finally {
      if (gen === generation) busy.value = null
    }
  }

  return { file, chosenName, busy, error, notice, preview, result, choose, runPreview, confirm, clear }
}
