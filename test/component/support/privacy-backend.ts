// A fake backend behind wx.request for the `privacy` function: what is held about the caller
// (the test may change it), and deleting it as the server does (names gone, responses no longer
// linked, the reply saying what was kept and why). Every reply is parsed with the contract's
// output schema (privacyContract), so the fake cannot drift from what the real function promises.
// A repeated requestId gets the first reply.
import { ok, privacyContract, type DeleteReply, type Envelope, type MyData } from 'wal-core'
import { ContractBackend, failWith } from './fake-backend'

export function someData(over: Partial<MyData> = {}): MyData {
  return {
    responses: [
      {
        campaignId: 'demo',
        version: 'public',
        startedAt: '2025-03-01T02:00:00.000Z',
        sectionsSubmitted: 2,
        validSample: true,
        chancesGranted: 7,
        pseudonymiseAfter: '2025-09-28T16:00:00.000Z',
      },
    ],
    points: { balance: 12, entries: 5, userCode: 'ABCD2345', nickname: '小明同学' },
    memberships: [
      { nodeId: 'gz-tianhe-t1', role: 'volunteer', status: 'active', displayName: '小明' },
    ],
    reservations: [{ id: 'rsv-1', itemTitle: '网络安全主题保温杯', status: 'reserved' }],
    identity: { maskedName: '王**', purpose: 'volunteer_certificate' },
    purposes: ['网民网络安全感满意度调查的统计分析', '抽奖与积分奖励的发放'],
    ...over,
  }
}

export const NOTHING_HELD: MyData = {
  responses: [],
  points: null,
  memberships: [],
  reservations: [],
  identity: null,
  purposes: ['网民网络安全感满意度调查的统计分析'],
}

export class PrivacyBackend extends ContractBackend<typeof privacyContract> {
  protected readonly contract = privacyContract
  data: MyData = someData()
  /** Deletions that took effect (a repeat of one requestId does not count again). */
  deletions = 0

  protected handle(e: Record<string, unknown>): Envelope<unknown> {
    switch (e.action) {
      case 'myData':
        return ok(this.data)
      case 'deleteMe':
        return ok(this.deleteMe())
      default:
        return failWith('UNKNOWN_ACTION', String(e.action))
    }
  }

  private deleteMe(): DeleteReply {
    this.deletions += 1
    const d = this.data
    const removed: string[] = []
    if (d.points?.nickname) removed.push('昵称')
    if (d.identity) removed.push('真实姓名（志愿者证书用）')
    if (d.memberships.length > 0) removed.push(`志愿者显示名（${d.memberships.length} 个组织）`)
    if (d.responses.length > 0)
      removed.push(`问卷答卷与您微信身份的关联（${d.responses.length} 份，答案以假名保留）`)
    const kept: DeleteReply['kept'] = []
    if (d.points)
      kept.push({
        what: `积分账户（余额 ${d.points.balance}）与积分流水`,
        why: '余额仍归您所有、可继续使用；每一笔已花出或转出的积分都是他人到账、库存和兑换的另一半，须保留对账。',
      })
    kept.push(
      {
        what: '抽奖、红包发放与兑换记录',
        why: '奖品和资金的发放须留存备查（财务审计）；这些记录不含昵称或姓名。',
      },
      { what: '问卷答案与统计数', why: '以假名保存，用于调查统计；无法再与您的微信身份关联。' },
    )
    this.data = {
      ...d,
      responses: [],
      points: d.points ? { ...d.points, nickname: null } : null,
      memberships: d.memberships.map((m) => ({ ...m, displayName: '已注销用户' })),
      identity: null,
    }
    return { removed, kept }
  }
}
