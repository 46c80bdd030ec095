// A fake backend behind wx.request for the `volunteer` function: one volunteer (the caller) with
// memberships the test sets up, a node they may manage, and the replies shaped by core's schemas
// (each reply is parsed with the schema the service checks, so a fake that drifts fails loudly).
// A repeated requestId gets the first reply, as on the server.
import {
  ERROR_MESSAGES,
  nodeOverviewSchema,
  ok,
  volunteerMeSchema,
  type Envelope,
  type InviteInfo,
  type Membership,
  type NodeOverview,
  type VolunteerMe,
} from 'wal-core'
import { FakeBackend, failWith, type Reply, type ScriptedAnswer } from './fake-backend'

const tally = (valid: number, invalid: number) => ({ valid, invalid })

export function aMembership(over: Partial<Membership> = {}): Membership {
  return {
    node: { id: 'gz-tianhe-t1', name: '天河一队（高校）', kind: 'team' },
    path: [
      '广东省网络空间安全协会',
      '广州市网络安全协会',
      '天河区网络安全志愿服务站',
      '天河一队（高校）',
    ],
    role: 'volunteer',
    status: 'active',
    displayName: '小李',
    manages: false,
    code: {
      code: 'K7M3PQ2',
      scene: 'c=K7M3PQ2',
      active: true,
      label: null,
      today: tally(2, 1),
      total: tally(12, 3),
      target: 50,
      signals: [],
    },
    ...over,
  }
}

export function anOverview(over: Partial<NodeOverview> = {}): NodeOverview {
  return nodeOverviewSchema.parse({
    node: { id: 'gz-tianhe', name: '天河区网络安全志愿服务站', kind: 'station', overrideRate: 15 },
    path: ['广东省网络空间安全协会', '广州市网络安全协会', '天河区网络安全志愿服务站'],
    today: tally(5, 1),
    total: tally(120, 9),
    target: 400,
    children: [
      {
        id: 'gz-tianhe-t1',
        name: '天河一队（高校）',
        kind: 'team',
        total: tally(80, 5),
        today: tally(3, 0),
        target: 200,
      },
    ],
    topCodes: [
      { code: 'K7M3PQ2', label: null, total: tally(12, 3), today: tally(2, 1) },
      { code: 'CH00001', label: '天河公众号', total: tally(9, 0), today: tally(0, 0) },
    ],
    members: [
      {
        memberCode: 'VOLA2345',
        displayName: '小李',
        role: 'volunteer',
        status: 'active',
        nodeName: '天河区网络安全志愿服务站',
        code: { ...aMembership().code!, signals: ['velocity'] },
      },
    ],
    pending: [
      {
        memberCode: 'PEND2345',
        displayName: '小王',
        role: 'volunteer',
        status: 'pending',
        nodeName: '天河区网络安全志愿服务站',
        code: null,
      },
    ],
    invites: [],
    override: { samples: 120, accruedHundredths: 1800, settled: 18, balance: 18 },
    ...over,
  })
}

export class VolunteerBackend extends FakeBackend {
  me: VolunteerMe = {
    campaignId: 'demo',
    campaignName: '2024年网民网络安全感满意度调查',
    slogan: '安安全全共净网 满满意意享生活',
    memberships: [],
    pointsFromSharing: 0,
    hasRealName: false,
  }
  invites = new Map<string, InviteInfo>()
  overview: NodeOverview = anOverview()

  actions(action: string): Array<Record<string, unknown>> {
    return this.sent.filter((s) => s.event.action === action).map((s) => s.event)
  }

  protected answer(
    name: string,
    event: Record<string, unknown>,
    override: ScriptedAnswer | undefined,
    reply: Reply,
  ): void {
    if (this.answeredByScript(override, reply)) return
    if (name !== 'volunteer') return reply.succeed(failWith('UNKNOWN_ACTION', name))
    reply.succeed(this.once(event, () => this.handle(event)))
  }

  private handle(e: Record<string, unknown>): Envelope<unknown> {
    switch (e.action) {
      case 'me':
        return ok(volunteerMeSchema.parse(this.me))
      case 'codeImage':
        return ok({
          fileId: `cloud://codes/${e.code}.png`,
          url: `http://127.0.0.1/storage/${e.code}.png`,
        })
      case 'ensureCode': {
        const m = this.me.memberships.find((x) => x.node.id === e.nodeId && x.status === 'active')
        if (!m) return failWith('NOT_A_MEMBER', ERROR_MESSAGES.NOT_A_MEMBER)
        m.code = m.code ?? {
          ...aMembership().code!,
          code: 'NEW2345',
          scene: 'c=NEW2345',
          today: tally(0, 0),
          total: tally(0, 0),
        }
        return ok(m.code)
      }
      case 'setCodeActive': {
        const m = this.me.memberships.find((x) => x.code?.code === e.code)
        if (!m?.code) return failWith('CODE_NOT_FOUND', ERROR_MESSAGES.CODE_NOT_FOUND)
        m.code = { ...m.code, active: e.active as boolean }
        return ok(m.code)
      }
      case 'inviteInfo': {
        const info = this.invites.get(e.code as string)
        return info ? ok(info) : failWith('INVITE_NOT_FOUND', ERROR_MESSAGES.INVITE_NOT_FOUND)
      }
      case 'apply': {
        const info = this.invites.get(e.code as string)
        if (!info) return failWith('INVITE_NOT_FOUND', ERROR_MESSAGES.INVITE_NOT_FOUND)
        if (typeof e.realName === 'string' && !/^[\u4e00-\u9fa5·]{2,15}$/.test(e.realName))
          return failWith('BAD_REQUEST', '✖ 请填写身份证件上的姓名\n  → at realName', [
            { path: ['realName'], message: '请填写身份证件上的姓名' },
          ])
        const status = info.autoApprove ? 'active' : 'pending'
        this.invites.set(e.code as string, { ...info, myStatus: status })
        this.me.memberships.push(
          aMembership({
            node: info.node,
            path: info.path,
            status,
            displayName: e.displayName as string,
            code: status === 'active' ? aMembership().code : null,
          }),
        )
        return ok({
          nodeId: info.node.id,
          status,
          message:
            status === 'active'
              ? `已加入${info.node.name}`
              : `已提交申请，等待${info.node.name}管理员审核`,
        })
      }
      case 'nodeOverview':
        return e.nodeId === this.overview.node.id
          ? ok(this.overview)
          : failWith('FORBIDDEN', '您没有管理该组织的权限')
      case 'review': {
        const person = this.overview.pending.find((m) => m.memberCode === e.memberCode)
        if (!person) return failWith('MEMBER_NOT_FOUND', ERROR_MESSAGES.MEMBER_NOT_FOUND)
        const after = {
          ...person,
          status: e.decision === 'approve' ? ('active' as const) : ('rejected' as const),
        }
        this.overview = {
          ...this.overview,
          pending: this.overview.pending.filter((m) => m !== person),
          members:
            after.status === 'active' ? [...this.overview.members, after] : this.overview.members,
        }
        return ok(after)
      }
      case 'createInvite': {
        const invite = {
          code: 'JNV2345',
          scene: 'i=JNV2345',
          role: 'volunteer' as const,
          expiresAt: '2024-08-01T00:00:00.000Z',
          maxUses: e.maxUses as number,
          uses: 0,
          autoApprove: e.autoApprove as boolean,
          state: 'open' as const,
        }
        this.overview = { ...this.overview, invites: [...this.overview.invites, invite] }
        return ok({
          ...invite,
          image: { fileId: 'cloud://codes/i.png', url: 'http://127.0.0.1/storage/i.png' },
        })
      }
      case 'nodeTransfer': {
        const amount = e.amount as number
        if (amount > this.overview.override.balance)
          return failWith('INSUFFICIENT_POINTS', ERROR_MESSAGES.INSUFFICIENT_POINTS)
        this.overview = {
          ...this.overview,
          override: { ...this.overview.override, balance: this.overview.override.balance - amount },
        }
        return ok({
          amount,
          toCode: e.memberCode,
          maskedNickname: '小*',
          balance: this.overview.override.balance,
        })
      }
      case 'settleOverride':
        return ok({ nodeId: e.nodeId, posted: 0, settled: 18, accruedHundredths: 1800 })
      default:
        return failWith('UNKNOWN_ACTION', String(e.action))
    }
  }
}
