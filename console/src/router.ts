// Hash routes (static hosting needs no rewrites); every page but sign-in needs a session.
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import { session, restore } from './api/session'
import { S } from './strings'

const page = (name: string) => () => import(`./pages/${name}.vue`)

export const navRoutes: Array<{ path: string; title: string; name: string }> = [
  { path: '/dashboard', title: S.nav.dashboard, name: 'dashboard' },
  { path: '/targets', title: S.nav.targets, name: 'targets' },
  { path: '/organisation', title: S.nav.organisation, name: 'organisation' },
  { path: '/codes', title: S.nav.codes, name: 'codes' },
  { path: '/store', title: S.nav.store, name: 'store' },
  { path: '/rewards', title: S.nav.rewards, name: 'rewards' },
  { path: '/review', title: S.nav.review, name: 'review' },
  { path: '/export', title: S.nav.export, name: 'export' },
  { path: '/subsidies', title: S.nav.subsidies, name: 'subsidies' },
  { path: '/draws', title: S.nav.draws, name: 'draws' },
  { path: '/audit', title: S.nav.audit, name: 'audit' },
]

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/dashboard' },
  { path: '/sign-in', component: page('sign-in'), meta: { public: true } },
  ...navRoutes.map((r) => ({ path: r.path, component: page(r.name), meta: { title: r.title } })),
]

export const router = createRouter({ history: createWebHashHistory(), routes })

let restored: Promise<boolean> | undefined
router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!session.who) {
    restored ??= restore()
    if (!(await restored)) {
      restored = undefined
      return { path: '/sign-in', query: { next: to.fullPath } }
    }
  }
  return true
})
router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? S.signIn.title} · ${S.appName}`
})
