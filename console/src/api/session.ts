// Who is signed in, and how calls reach the functions. Locally the gateway's own sign-in
// (POST /auth/sign-in, which asks organiser.whoami) names the account later calls carry in
// x-cb-uid; on CloudBase, @cloudbase/js-sdk signs in with the account's email and password and
// the platform gives each function call that identity. Identity never travels in an event.
import { reactive } from 'vue'
import { organiserContract, type ActionOutput } from 'wal-core'
import {
  CallError,
  callAction,
  cloudbaseTransport,
  gatewayTransport,
  useTransport,
  type CloudBaseApp,
} from './client'

export type WhoAmI = ActionOutput<typeof organiserContract, 'whoami'>

/** Built for CloudBase when VITE_CLOUDBASE_ENV names the environment; otherwise local. */
export const cloudEnv: string | undefined = import.meta.env.VITE_CLOUDBASE_ENV || undefined
export const backend: 'local' | 'cloudbase' = cloudEnv ? 'cloudbase' : 'local'

const STORAGE_KEY = 'wal-console-account'

export const session = reactive<{ account: string | null; who: WhoAmI | null }>({
  account: null,
  who: null,
})

function localTransport() {
  return gatewayTransport(window.location.origin, () => session.account)
}

interface AuthLike {
  signInWithPassword(p: { email: string; password: string }): Promise<{ error?: unknown }>
  signOut(): Promise<unknown>
}

let cloudApp: (CloudBaseApp & { auth(): AuthLike }) | undefined

async function cloudbase() {
  if (!cloudApp) {
    // Only a CloudBase build loads the SDK (its own chunk).
    const sdk = (await import('@cloudbase/js-sdk')).default as unknown as {
      init(o: { env: string }): CloudBaseApp & { auth(): AuthLike }
    }
    cloudApp = sdk.init({ env: cloudEnv! })
  }
  return cloudApp
}

/** Sign in; resolves with who the functions say the caller is, or rejects with a CallError. */
export async function signIn(account: string, password: string): Promise<WhoAmI> {
  if (backend === 'local') {
    const res = await fetch('/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ uid: account }),
    }).catch((err: unknown) => {
      throw new CallError('NETWORK', `无法连接本地网关（${String(err)}）`)
    })
    const body = (await res.json().catch(() => null)) as {
      ok?: boolean
      error?: { code: string; message: string }
    } | null
    if (!body?.ok) throw new CallError('SIGN_IN_FAILED', '账号不存在或无控制台权限')
    session.account = account
    useTransport(localTransport())
  } else {
    const app = await cloudbase()
    const res = await app.auth().signInWithPassword({ email: account, password })
    if (res.error) throw new CallError('SIGN_IN_FAILED', '邮箱或密码不正确')
    session.account = account
    useTransport(cloudbaseTransport(app))
  }
  session.who = await callAction(organiserContract, 'whoami', {})
  sessionStorage.setItem(STORAGE_KEY, account)
  return session.who
}

/** After a reload: the local account is remembered for this tab; CloudBase keeps its own. */
export async function restore(): Promise<boolean> {
  const account = sessionStorage.getItem(STORAGE_KEY)
  if (!account) return false
  try {
    if (backend === 'local') {
      session.account = account
      useTransport(localTransport())
    } else {
      session.account = account
      useTransport(cloudbaseTransport(await cloudbase()))
    }
    session.who = await callAction(organiserContract, 'whoami', {})
    return true
  } catch {
    signOutLocally()
    return false
  }
}

function signOutLocally() {
  sessionStorage.removeItem(STORAGE_KEY)
  session.account = null
  session.who = null
  useTransport(undefined)
}

export async function signOut(): Promise<void> {
  if (backend === 'cloudbase' && cloudApp) await cloudApp.auth().signOut()
  signOutLocally()
}
