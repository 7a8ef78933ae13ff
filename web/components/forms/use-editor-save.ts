import { ref } from 'vue'
import { formsError } from '../../api/forms.js'
import { fieldErrors } from './forms-helpers.js'
import { userMessage } from '../../lib/user-message.js'

/**
 * The save state of an on-screen editor (system, resource): whether it is saving, the server's
 * problems by field, and a general message for the rest. `save` runs the request and sorts its errors.
 */
export function useEditorSave() {
  const errors = ref<Record<string, string>>({})
  const general = ref<string | null>(null)
  const saving = ref(false)
  async function save(work: () => Promise<void>): Promise<void> {
    saving.value = true
    errors.value = {}
    general.value = null
    try {
      await work()
    } catch (e) {
      const issues = formsError(e)?.details.issues
      if (issues?.length) errors.value = fieldErrors(issues)
      else general.value = userMessage(e)
    } finally {
      saving.value = false
    }
  }
  return { errors, general, saving, save }
}
