import { defineStore } from 'pinia'
import { useMetaStore } from './meta.js'
import { computed, ref, shallowRef } from 'vue'
import type { Router } from 'vue-router'
import { answer, api, setClientHooks } from '../api/client.js'
import type { SecondFactorStep, Session, SessionKiosk } from '../api/auth.js'
import { ROLES, anonymousSession, canEditDepartment, isSecondFactorStep, kioskScreenPath, labelFrom, safeNextPath } from '../api/auth.js'
import { userMessage } from '../lib/user-message.js'

/** Where a wall keeps its kiosk token for this tab, so it can re-open the link after its 12-hour session. */
const KIOSK_TOKEN_KEY = 'atlas.kiosk.token'

function storedKioskToken(): string | null {
  try {
    return sessionStorage.getItem(KIOSK_TOKEN_KEY)
  } catch {
    return null
  }
}

/** Who is looking: the signed-in user (or a wall's kiosk link, or nobody), their permissions and CSRF token. */
export const useAuthStore = defineStore('auth', () => {
  const session = shallowRef<Session>(anonymousSession())
  const loaded = ref(false)
  const loadError = ref<string | null>(null)
  /** The wall's kiosk link is unknown or revoked (re-opening it failed). */
  const kioskFailed = ref(false)
  let loading: Promise<Session> | null = null
  let reopening: Promise<boolean> | null = null

  /** Asks the server who this browser is; a server that cannot be reached counts as nobody. */
  function load(): Promise<Session> {
    loading = answer(api.auth.session.$get()).then(
      (s) => {
        session.value = s
        loadError.value = null
        loaded.value = true
        return s
      },
      (e: Error) => {
        session.value = anonymousSession()
        loadError.value = userMessage(e)
        loaded.value = true
        return session.value
      },
    )
    return loading
  }

  /** The first answer of the session endpoint (loads it once). */
  function ready(): Promise<Session> {
    return loading ?? load()
  }

  /** The password: a session, or (two-factor sign-in) the step that asks for the code. */
  async function signIn(username: string, password: string): Promise<Session | SecondFactorStep> {
    const a = await answer(api.auth['sign-in'].$post({ json: { username, password } }))
    if (isSecondFactorStep(a)) return a
    session.value = a
    kioskFailed.value = false
    return a
  }

  /** The code of a two-factor sign-in (or a recovery code). */
  async function signInCode(code: string): Promise<Session> {
    const s = await answer(api.auth['sign-in'].code.$post({ json: { code } }))
    session.value = s
    kioskFailed.value = false
    return s
  }

  /** Ends the session on the server; what this page holds is dropped by the caller's full reload. */
  async function signOut(): Promise<void> {
    try {
      await api.auth['sign-out'].$post()
    } finally {
      session.value = { ...anonymousSession(), publicAccess: session.value.publicAccess }
    }
  }

  async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await api.auth.password.$post({ json: { currentPassword, newPassword } })
  }

  /** Opens a wall's kiosk link: a read-only session, and the token kept in this tab for re-opening. */
  async function openKiosk(token: string): Promise<SessionKiosk> {
    const { kiosk } = await answer(api.kiosk.open.$post({ json: { token } }))
    try {
      sessionStorage.setItem(KIOSK_TOKEN_KEY, token)
    } catch {
      // Storage refused: the wall still works until its session ends.
    }
    kioskFailed.value = false
    await load()
    return kiosk
  }

  /**
   * Re-opens the stored kiosk link once (the kiosk session lasts 12 hours; a revoked link fails).
   * Calls that arrive together share the one attempt.
   */
  function reopenKiosk(): Promise<boolean> {
    const token = storedKioskToken()
    if (!token) {
      kioskFailed.value = true
      return Promise.resolve(false)
    }
    reopening ??= openKiosk(token).then(
      () => true,
      () => {
        kioskFailed.value = true
        return false
      },
    ).finally(() => {
      reopening = null
    })
    return reopening
  }

  const user = computed(() => session.value.user)
  const kiosk = computed(() => session.value.kiosk)
  const permissions = computed(() => session.value.permissions)
  const csrfToken = computed(() => session.value.csrfToken)
  const publicAccess = computed(() => session.value.publicAccess)
  const isAdmin = computed(() => Boolean(session.value.user && session.value.permissions.admin))
  /** What the signed-in user must do before anything else (change an expired password, enrol a second factor). */
  const required = computed(() => (session.value.user ? session.value.required : null))
  const canExport = computed(() => Boolean(!session.value.kiosk && session.value.user && session.value.permissions.export))
  /** Public visitors see only 公开 data. */
  const publicOnly = computed(() => !session.value.user && !session.value.kiosk && session.value.publicAccess)

  /** Whether the signed-in user may change this department's systems, resources and items. */
  function canEdit(departmentId: number | string | null | undefined): boolean {
    // Harvested data stays its district's: nobody edits it at the city (the server refuses it too).
    return canEditDepartment(session.value, departmentId) && useMetaStore().departmentSource(departmentId) === null
  }

  /** The role's Chinese label (the shared domain table). */
  function roleLabel(code: string | null | undefined): string {
    return labelFrom(ROLES, code)
  }

  return {
    session, loaded, loadError, kioskFailed, load, ready, signIn, signInCode, signOut, changePassword, openKiosk, reopenKiosk,
    user, kiosk, permissions, csrfToken, publicAccess, isAdmin, required, canExport, publicOnly, canEdit, roleLabel,
  }
})

/**
 * Wires the session into the router and the API client: every route waits for the session; a visitor
 * who may see nothing goes to /sign-in?next=…; a wall's browser stays on the wall; a 401 from any call
 * sends the user to sign in (or re-opens the wall's kiosk link); a stale CSRF token is refreshed once.
 */
export function installAccessGuard(router: Router): void {
  let redirecting = false
  setClientHooks({
    csrfToken: () => useAuthStore().csrfToken,
    onUnauthenticated: async () => {
      const auth = useAuthStore()
      const route = router.currentRoute.value
      if (auth.kiosk || route.name === 'kiosk' || (route.name === 'screen' && route.query.kiosk === '1')) return auth.reopenKiosk()
      if (route.name === 'sign-in' || redirecting) return false
      // The session ended (idle timeout, signed out in another tab): sign in again and come back here.
      redirecting = true
      try {
        await auth.load()
        await router.push({ path: '/sign-in', query: { next: route.fullPath } })
      } finally {
        redirecting = false
      }
      return false
    },
    onCsrfRejected: async () => {
      const s = await useAuthStore().load()
      return Boolean(s.csrfToken)
    },
  })

  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    await auth.ready()
    if (to.name === 'sign-in' || to.name === 'kiosk') return true
    // An expired password or an administrator's missing second factor comes first (the server refuses the rest).
    if (auth.required && to.name !== 'account-setup') return { name: 'account-setup', query: { next: to.fullPath } }
    if (to.name === 'account-setup' && !auth.required) return auth.user ? safeNextPath(to.query.next) : { path: '/sign-in' }
    if (to.name === 'screen' && to.query.kiosk === '1') {
      // A wall: its session may have run out (12 h) or the link been revoked; the screen says which.
      if (!auth.kiosk) await auth.reopenKiosk()
      return true
    }
    if (auth.kiosk) return kioskScreenPath(auth.kiosk.query)
    if (!auth.user && (!auth.publicAccess || to.meta.admin)) return { path: '/sign-in', query: { next: to.fullPath } }
    return true
  })
}

/** A failed call's message for the user, in Chinese (the server's own message when it is). */
export function errorMessage(e: unknown): string {
  return userMessage(e)
}
