// A fake backend behind wx.request for the `draw`, `wallet` and `payout` functions, answering from the real
// 2024 draw table (campaigns/2024/draw-table.json, through core's publishedOdds) and core's ledger
// rules, the way the functions do: a repeated requestId gets the first reply. The tier of each
// draw is scripted by the test (randomness is the server's, so the page must follow it). Tests can
// make the next call fail, lose its reply after it took effect, or hold it until they say.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  ENTRY_KIND_NAMES,
  ERROR_MESSAGES,
  checkTransfer,
  drawTableSchema,
  maskNickname,
  ok,
  publishedOdds,
  userCodeSchema,
  type DrawKind,
  type DrawResult,
  type DrawTable,
  type EntryKind,
  type Envelope,
  type PayoutClaim,
  type PendingPayout,
  type Progress,
} from 'wal-core'
import { FakeBackend, failWith, type Reply, type ScriptedAnswer } from './fake-backend'
import { startedPublicProgress } from './campaigns'

export const drawTable2024: DrawTable = drawTableSchema.parse(
  JSON.parse(
    readFileSync(path.resolve(__dirname, '../../../campaigns/2024/draw-table.json'), 'utf8'),
  ),
)

export interface FakeEntry {
  seq: number
  kind: EntryKind
  amount: number
  balanceAfter: number
  memo: string | null
  createdAt: string
}

type Override =
  /** Handled (it takes effect), then the reply is lost as on a dropped connection. */
  | { lose: string }
  /** Handled, then answered only when the test calls release(). */
  | { hold: true }

const CLOCK = Date.parse('2024-07-20T02:00:00.000Z')

export class RewardsBackend extends FakeBackend<Override> {
  table: DrawTable = drawTable2024
  chances = { balance: 5, granted: 5, spent: 0 }
  /** The caller's survey progress (survey.myResponse, which the hub asks when nothing is affordable). */
  progress: Progress = startedPublicProgress()
  notice: string | null = null
  readonly draws: DrawResult[] = []
  /** Tier index of each coming draw, in order (0 when the script runs out). */
  readonly tiers: number[] = []
  /** The caller's points account. */
  account = { balance: 0, userCode: 'ME234567', nickname: null as string | null }
  readonly entries: FakeEntry[] = []
  /** Other users, by user code (nickname null for none). */
  readonly users = new Map<string, string | null>([['ABCD2345', '张三丰']])
  limits = { minAmount: 1, maxAmount: 500, dailyCap: 1000 }
  sentToday = 0
  /** Nicknames content security refuses. */
  readonly riskyNicknames = new Set<string>()
  /** The caller's red envelopes waiting for them (payout.mine). */
  readonly payouts: PendingPayout[] = []
  /** Envelopes WeChat Pay has paid (their winner confirmed): a check finds them paid. */
  readonly paidAtWechat = new Set<string>()
  private readonly held: Array<() => void> = []
  private readonly replies = new Map<string, Envelope<unknown>>()
  private clock = CLOCK

  private balanceReply() {
    return { ...this.account, transfer: { ...this.limits, sentToday: this.sentToday } }
  }

  protected answer(
    name: string,
    event: Record<string, unknown>,
    override: ScriptedAnswer | Override | undefined,
    { succeed, fail }: Reply,
  ): void {
    if (override && 'networkError' in override) {
      void Promise.resolve().then(() => fail(override.networkError))
    } else if (override && 'envelope' in override) {
      void Promise.resolve().then(() => succeed(override.envelope))
    } else {
      const reply = this.handle(name, event)
      if (override && 'lose' in override) void Promise.resolve().then(() => fail(override.lose))
      else if (override && 'hold' in override) this.held.push(() => succeed(reply))
      // Answer asynchronously, as the network does.
      else void Promise.resolve().then(() => succeed(reply))
    }
  }

  /** The next call takes effect, but its reply never arrives. */
  loseNextReply(errMsg = 'request:fail timeout'): this {
    this.overrides.push({ lose: errMsg })
    return this
  }

  /** The next call takes effect now and is answered when the test calls release(). */
  holdNext(): this {
    this.overrides.push({ hold: true })
    return this
  }

  /** Deliver the oldest held reply. */
  release(): void {
    const deliver = this.held.shift()
    if (!deliver) throw new Error('no reply is held')
    deliver()
  }

  /** The events sent to `name` with this action. */
  events(name: string, action: string): Array<Record<string, unknown>> {
    return this.sent.filter((s) => s.name === name && s.event.action === action).map((s) => s.event)
  }

  /** Add an entry to the caller's ledger (a balance change with its entry, as the server does). */
  post(kind: EntryKind, amount: number, memo: string | null = null): FakeEntry {
    this.account.balance += amount
    this.clock += 60_000
    const entry: FakeEntry = {
      seq: this.entries.length + 1,
      kind,
      amount,
      balanceAfter: this.account.balance,
      memo,
      createdAt: new Date(this.clock).toISOString(),
    }
    this.entries.push(entry)
    return entry
  }

  /** Draws made before the test (chances granted for them), with the scripted tiers. */
  seedDraws(count: number, kind: DrawKind = 'nine_grid'): this {
    const cost = this.table.kinds[kind].cost * count
    this.chances = {
      balance: this.chances.balance + cost,
      granted: this.chances.granted + cost,
      spent: this.chances.spent,
    }
    for (let i = 0; i < count; i++) this.draw(kind)
    return this
  }

  hub() {
    const balance = this.chances.balance
    return {
      campaignId: 'wal-2024',
      tableVersion: this.table.version,
      prizeForm: this.table.prizeForm,
      chances: { ...this.chances },
      kinds: publishedOdds(this.table).map((k) => ({ ...k, affordable: balance >= k.cost })),
      notice: this.notice,
    }
  }

  private handle(name: string, event: Record<string, unknown>): Envelope<unknown> {
    const requestId = typeof event.requestId === 'string' ? event.requestId : null
    const key = requestId ? `${name}.${String(event.action)}:${requestId}` : null
    const repeat = key ? this.replies.get(key) : undefined
    if (repeat) return repeat
    const reply =
      name === 'draw'
        ? this.handleDraw(event)
        : name === 'payout'
          ? this.handlePayout(event)
          : name === 'survey'
            ? event.action === 'myResponse'
              ? ok(this.progress)
              : failWith('UNKNOWN_ACTION', String(event.action))
            : this.handleWallet(event)
    if (key) this.replies.set(key, reply)
    return reply
  }

  private handleDraw(event: Record<string, unknown>): Envelope<unknown> {
    switch (event.action) {
      case 'hub':
        return ok(this.hub())
      case 'draw':
        return this.draw(event.kind as DrawKind)
      case 'history':
        return ok(this.page([...this.draws].reverse(), event, (d) => d.drawId.slice(1)))
      default:
        return failWith('UNKNOWN_ACTION', String(event.action))
    }
  }

  private draw(kind: DrawKind): Envelope<unknown> {
    const k = this.table.kinds[kind]
    if (this.chances.balance < k.cost) {
      return failWith('INSUFFICIENT_CHANCES', ERROR_MESSAGES.INSUFFICIENT_CHANCES)
    }
    const tierIndex = this.tiers.shift() ?? 0
    const tier = k.tiers[tierIndex]!
    this.chances = {
      ...this.chances,
      balance: this.chances.balance - k.cost,
      spent: this.chances.spent + k.cost,
    }
    this.post('draw_prize', tier.points, `${kind} ${tier.id}`)
    const result: DrawResult = {
      drawId: `d${this.draws.length + 1}`,
      kind,
      tableVersion: this.table.version,
      tierId: tier.id,
      tierIndex,
      prize: { form: 'points', points: tier.points },
      fallback: null,
      chancesLeft: this.chances.balance,
      createdAt: new Date(this.clock).toISOString(),
    }
    this.draws.push(result)
    return ok(result)
  }

  private handleWallet(event: Record<string, unknown>): Envelope<unknown> {
    switch (event.action) {
      case 'balance':
        return ok(this.balanceReply())
      case 'entries': {
        const items = [...this.entries].reverse().map((e) => ({
          id: `e${e.seq}`,
          kind: e.kind,
          kindName: ENTRY_KIND_NAMES[e.kind],
          amount: e.amount,
          balanceAfter: e.balanceAfter,
          memo: e.memo,
          createdAt: e.createdAt,
        }))
        return ok(this.page(items, event, (e) => e.id.slice(1)))
      }
      case 'setNickname': {
        const nickname = String(event.nickname).trim()
        if (this.riskyNicknames.has(nickname)) {
          return failWith('BAD_REQUEST', '昵称含有不当内容，请修改后再试', {
            reason: 'CONTENT_RISKY',
          })
        }
        this.account.nickname = nickname
        return ok(this.balanceReply())
      }
      case 'previewTransfer': {
        const to = this.recipient(event.toCode)
        return 'error' in to ? to.error : ok({ toCode: to.code, maskedNickname: to.masked })
      }
      case 'transfer':
        return this.transfer(event)
      default:
        return failWith('UNKNOWN_ACTION', String(event.action))
    }
  }

  /** An envelope waiting for its winner, as payout.mine lists it. */
  addPayout(state: PendingPayout['state'], amountFen = 20): PendingPayout {
    const key = `wd${String(this.payouts.length + 1).padStart(30, '0')}`
    const payout: PendingPayout = {
      payoutKey: key,
      amountFen,
      state,
      confirm:
        state === 'awaiting_user'
          ? { mchId: '1900000109', appId: 'wx-test-appid', package: `pkg-${key}` }
          : null,
      expiresAt: state === 'awaiting_user' ? new Date(this.clock + 86_400_000).toISOString() : null,
      wonAt: new Date(this.clock).toISOString(),
    }
    this.payouts.push(payout)
    return payout
  }

  private handlePayout(event: Record<string, unknown>): Envelope<unknown> {
    if (event.action === 'mine') return ok({ items: this.payouts })
    const key = String(event.payoutKey)
    const index = this.payouts.findIndex((p) => p.payoutKey === key)
    const payout = this.payouts[index]
    if (!payout) return failWith('NOT_FOUND', 'no such payout')
    const claim = (): PayoutClaim => ({ payoutKey: key, status: payout.state, item: payout })
    switch (event.action) {
      case 'check':
        if (!this.paidAtWechat.has(payout.confirm?.package ?? '')) return ok(claim())
        this.payouts.splice(index, 1)
        return ok({ payoutKey: key, status: 'paid', item: null })
      case 'reclaim':
        if (payout.state === 'expired') {
          // A new transfer, with its own package.
          payout.state = 'awaiting_user'
          payout.confirm = { mchId: '1900000109', appId: 'wx-test-appid', package: `pkg-${key}-2` }
          payout.expiresAt = new Date(this.clock + 86_400_000).toISOString()
        }
        return ok(claim())
      default:
        return failWith('UNKNOWN_ACTION', String(event.action))
    }
  }

  private recipient(raw: unknown): { code: string; masked: string } | { error: Envelope<never> } {
    const code = userCodeSchema.safeParse(raw)
    if (!code.success) return { error: failWith('BAD_REQUEST', 'toCode') }
    if (code.data === this.account.userCode) {
      return { error: failWith('SELF_TRANSFER', ERROR_MESSAGES.SELF_TRANSFER) }
    }
    if (!this.users.has(code.data)) {
      return { error: failWith('RECIPIENT_NOT_FOUND', ERROR_MESSAGES.RECIPIENT_NOT_FOUND) }
    }
    return { code: code.data, masked: maskNickname(this.users.get(code.data)) }
  }

  private transfer(event: Record<string, unknown>): Envelope<unknown> {
    const to = this.recipient(event.toCode)
    if ('error' in to) return to.error
    const amount = Number(event.amount)
    const check = checkTransfer(this.limits, amount, this.sentToday, 'me', to.code)
    if (!check.ok) return failWith(check.code, check.message)
    if (this.account.balance < amount) {
      return failWith('INSUFFICIENT_POINTS', ERROR_MESSAGES.INSUFFICIENT_POINTS)
    }
    this.sentToday += amount
    this.post('transfer_out', -amount, `转赠给 ${to.masked}（${to.code}）`)
    return ok({
      amount,
      toCode: to.code,
      maskedNickname: to.masked,
      balance: this.account.balance,
      sentToday: this.sentToday,
    })
  }

  /** Newest-first items a page at a time; the cursor is the last item's sequence number. */
  private page<T>(newestFirst: T[], event: Record<string, unknown>, seqOf: (item: T) => string) {
    const limit = typeof event.limit === 'number' ? event.limit : 20
    const before = typeof event.cursor === 'string' ? Number(event.cursor) : Infinity
    const rest = newestFirst.filter((item) => Number(seqOf(item)) < before)
    const items = rest.slice(0, limit)
    const more = rest.length > limit
    return { items, nextCursor: more ? seqOf(items[items.length - 1]!) : null }
  }
}
