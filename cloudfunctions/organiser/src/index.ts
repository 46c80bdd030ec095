// Cloud function `organiser`: the organiser console's server (web callers signed in with
// CloudBase accounts, or WeChat organisers) — dashboard, targets, rewards, review, exports,
// subsidies, offline draws, audit log — and 我的奖品 for the mini-program (docs/console.md).
import { organiserContract } from 'wal-core'
import { defineFunction, type Caller } from '../../../server/define-function'
import { getDb, queryDocs } from '../../../server/db'
import { AUDIT_LOG, accessOf, requireCommittee } from '../../../server/organiser/access'
import * as dash from '../../../server/organiser/dashboard'
import * as desk from '../../../server/organiser/desk'
import * as draws from '../../../server/organiser/draws'
import * as exp from '../../../server/organiser/export'

/** An action for signed-in organisers: the caller's access from the database, then the use case. */
function organiser<In, Out>(
  fn: (access: Awaited<ReturnType<typeof accessOf>>, input: In, now: Date) => Promise<Out>,
) {
  return {
    auth: 'signedIn' as const,
    handler: async (input: In, ctx: { caller: Caller; now: Date }) =>
      fn(await accessOf(ctx.caller), input, ctx.now),
  }
}

export const main = defineFunction(organiserContract, {
  whoami: organiser(async (a) => ({
    caller: a.who,
    committee: a.committee,
    nodes: a.admin.map((x) => ({ nodeId: x.node._id, name: x.node.name, role: x.role })),
  })),
  dashboard: organiser((a, input, now) => dash.dashboard(a, input, now)),
  changeToken: organiser((a, input, now) => dash.changeToken(a, input, now)),
  codeBreakdown: organiser((a, input, now) => dash.codeBreakdown(a, input, now)),
  importTargets: organiser((a, input, now) => desk.importTargets(a, input, now)),
  setTarget: organiser((a, input, now) => desk.setTarget(a, input, now)),
  exportTargets: organiser((a, input, now) => desk.exportTargets(a, input, now)),
  previewRewards: organiser((a, input) => desk.previewRewards(a, input)),
  grantRewards: organiser((a, input, now) => desk.grantRewards(a, input, now)),
  reviewQueue: organiser((a, input, now) => desk.reviewQueue(a, input, now)),
  confirmInvalid: organiser((a, input, now) => desk.confirmInvalid(a, input, now)),
  restoreValid: organiser((a, input, now) => desk.restoreValid(a, input, now)),
  suggestions: organiser((a, input, now) => desk.suggestions(a, input, now)),
  startExport: organiser((a, input, now) => exp.startExport(a, input, now)),
  exportJob: organiser((a, input) => exp.exportJob(a, input)),
  subsidyReport: organiser((a, _input, now) => desk.subsidyReport(a, now)),
  setSubsidyForm: organiser((a, input, now) => desk.setSubsidyForm(a, input, now)),
  settleSubsidies: organiser((a, input, now) => desk.settleSubsidies(a, input, now)),
  exportSubsidies: organiser((a, _input, now) => desk.exportSubsidies(a, now)),
  defineDraw: organiser((a, input, now) => draws.defineDraw(a, input, now)),
  commitDraw: organiser((a, input, now) => draws.commitDraw(a, input, now)),
  revealDraw: organiser((a, input, now) => draws.revealDraw(a, input, now)),
  draws: organiser((a, _input, now) => draws.listDraws(a, now)),
  draw: organiser((a, input) => draws.getDraw(a, input)),
  myPrizes: (_input, ctx) => draws.myPrizes(ctx.openid, ctx.now),
  auditLog: organiser(async (a, input) => {
    requireCommittee(a)
    const _ = getDb().command
    const docs = await queryDocs<{
      _id: string
      at: Date
      who: { kind: 'wechat' | 'web'; id: string }
      action: string
      target: string | null
      before: unknown
      after: unknown
    }>(
      getDb()
        .collection(AUDIT_LOG)
        .where(input.cursor ? { at: _.lt(new Date(input.cursor)) } : {})
        .orderBy('at', 'desc')
        .limit(input.limit),
    )
    return {
      entries: docs.map((d) => ({
        id: d._id,
        at: new Date(d.at).toISOString(),
        who: d.who,
        action: d.action,
        target: d.target,
        before: d.before,
        after: d.after,
      })),
      next: docs.length === input.limit ? new Date(docs[docs.length - 1]!.at).toISOString() : null,
    }
  }),
})
