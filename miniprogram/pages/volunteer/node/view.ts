// What the node admin page shows, from nodeOverview (pure: tested without rendering).
import { formatInstant } from '../../../utils/china-time'
import type { NodeOverview } from '../../../services/volunteer'
import { ROLE_NAMES, STATUS_NAMES } from '../strings'
import {
  INVITE_STATE_NAMES,
  SIGNAL_NAMES,
  childText,
  codeCountText,
  inviteText,
  kindName,
  overrideText,
  progressText,
} from './strings'

const percent = (valid: number, target: number) =>
  target > 0 ? Math.min(100, Math.floor((valid * 100) / target)) : null

export function toNodeView(o: NodeOverview) {
  return {
    id: o.node.id,
    name: o.node.name,
    kindText: kindName(o.node.kind),
    pathText: o.path.join(' › '),
    today: o.today,
    total: o.total,
    progressText: progressText(o.total.valid, o.target),
    percent: percent(o.total.valid, o.target),
    children: o.children.map((c) => ({
      id: c.id,
      name: c.name,
      kindText: kindName(c.kind),
      progressText: progressText(c.total.valid, c.target),
      percent: percent(c.total.valid, c.target),
      invalid: c.total.invalid,
      todayValid: c.today.valid,
      description: childText(
        kindName(c.kind),
        c.today.valid,
        progressText(c.total.valid, c.target),
        c.total.invalid,
      ),
    })),
    topCodes: o.topCodes.map((c, i) => ({
      rank: i + 1,
      code: c.code,
      label: c.label ?? '',
      countText: codeCountText(c.total.valid, c.today.valid),
    })),
    members: o.members.map((m) => ({
      memberCode: m.memberCode,
      displayName: m.displayName,
      roleText: ROLE_NAMES[m.role],
      statusText: STATUS_NAMES[m.status],
      code: m.code?.code ?? null,
      codeActive: m.code?.active ?? false,
      counts: m.code
        ? `有效 ${m.code.total.valid}（今日 ${m.code.today.valid}）· 无效 ${m.code.total.invalid}`
        : '',
      progressText: m.code ? progressText(m.code.total.valid, m.code.target) : '',
      signals: (m.code?.signals ?? []).map((s) => SIGNAL_NAMES[s] ?? s).join('、'),
    })),
    pending: o.pending.map((m) => ({ memberCode: m.memberCode, displayName: m.displayName })),
    invites: o.invites.map((i) => ({
      code: i.code,
      open: i.state === 'open',
      stateText: INVITE_STATE_NAMES[i.state],
      detail: inviteText(i.uses, i.maxUses, formatInstant(i.expiresAt)),
    })),
    overrideText: overrideText(
      o.node.overrideRate,
      o.override.samples,
      o.override.accruedHundredths,
      o.override.settled,
    ),
    hasOverride: o.node.overrideRate !== null,
    balance: o.override.balance,
  }
}

export type NodeView = ReturnType<typeof toNodeView>
