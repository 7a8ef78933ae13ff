import { ref } from 'vue'
import { ApiError } from '../api/client.js'
import { useAuthStore } from '../stores/auth.js'
import { userMessage } from '../lib/user-message.js'

/**
 * The change-password form of the user menu and of an expired password: current password, the new one
 * twice; the server's rules (length, common, user name, not the same) come back as its message, placed
 * under the field they concern.
 */
export function usePasswordChange(onChanged: () => void | Promise<void>) {
  const auth = useAuthStore()
  const current = ref('')
  const next = ref('')
  const repeat = ref('')
  const busy = ref(false)
  const problem = ref<{ field: 'current' | 'new' | 'form'; message: string } | null>(null)

  async function save(): Promise<void> {
    problem.value = null
    if (next.value !== repeat.value) {
      problem.value = { field: 'new', message: '两次输入的新密码不一致' }
      return
    }
    busy.value = true
    try {
      await auth.changePassword(current.value, next.value)
      current.value = next.value = repeat.value = ''
      await onChanged()
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) problem.value = { field: 'current', message: e.message || '当前密码不正确' }
      else if (e instanceof ApiError && e.details.parameter === 'newPassword') problem.value = { field: 'new', message: userMessage(e) }
      else problem.value = { field: 'form', message: userMessage(e) }
    } finally {
      busy.value = false
    }
  }

  return { current, next, repeat, busy, problem, save }
}
