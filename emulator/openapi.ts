// Deterministic local fakes for the WeChat open APIs the product uses. The production adapter
// (server/openapi.ts) calls cloud.openapi / WeChat Pay; functions only see the OpenApi port.
import QRCode from 'qrcode'
import { LOCAL_TRANSFER_PACKAGE_PREFIX, type TransferLookup, type TransferResult } from 'wal-core'
import { now } from '../server/db'
import type {
  AnswerSource,
  ContentCheckResult,
  OpenApi,
  SubscribeMessage,
  TransferRequest,
} from '../server/openapi-port'

export interface FakeOpenApiLog {
  codes: Array<{ scene: string; page: string }>
  contentChecks: Array<{ content: string; openid: string }>
  /** Bills created (one per bill number, however often it was sent). */
  transfers: Array<{ billNo: string; openid: string; amountFen: number }>
  /** Subscription messages sent (the local stand-in records them; nobody receives them). */
  messages: SubscribeMessage[]
  /** Answers composed (only when WAL_FAQ_AI=on; locally the retrieval answer is the default). */
  composed: Array<{ question: string; sources: string[] }>
}

/**
 * How the fake merchant transfer behaves (`WAL_FAKE_TRANSFER` for `npm start`):
 * - `pay` (default): every bill succeeds at once, as if no confirmation were needed;
 * - `confirm`: bills wait for the user (WAIT_USER_CONFIRM); the user confirms before the next
 *   look-up, so the first look-up (the page's 领取, or the timer's) finds the bill paid;
 * - `never`: bills wait, nobody confirms, and a look-up after the confirmation window
 *   (`WAL_FAKE_CONFIRM_WINDOW_MS`, default 24 h) finds the bill closed (FAIL, OVERDUE_CLOSE).
 */
export type FakeTransferMode = 'pay' | 'confirm' | 'never'

export const FAKE_MCH_ID = '1900000001'
export const FAKE_APP_ID = 'wx-local-appid'
const DAY_MS = 24 * 3_600_000

interface FakeBill {
  billNo: string
  openid: string
  amountFen: number
  state: 'WAIT_USER_CONFIRM' | 'SUCCESS' | 'FAIL'
  failReason: string | null
  createdAt: number
  mode: FakeTransferMode
}

function modeFromEnv(): FakeTransferMode {
  const raw = process.env.WAL_FAKE_TRANSFER
  if (raw === 'confirm' || raw === 'never') return raw
  if (raw && raw !== 'pay')
    console.warn(`[fake-openapi] WAL_FAKE_TRANSFER=${raw} is unknown; paying`)
  return 'pay'
}

function windowFromEnv(): number {
  const ms = Number(process.env.WAL_FAKE_CONFIRM_WINDOW_MS)
  return Number.isFinite(ms) && ms > 0 ? ms : DAY_MS
}

/** Words the fake content-security check treats as risky, so tests can trigger a flag on purpose. */
export const FAKE_RISKY_WORDS = ['赌博', '诈骗链接', '违禁']

/** What the local stand-in for a mini-program code encodes: the page with its scene as a query. */
export function localCodeText(input: { scene: string; page: string }): string {
  return `${input.page}?scene=${encodeURIComponent(input.scene)}`
}

export class FakeOpenApi implements OpenApi {
  readonly log: FakeOpenApiLog = {
    codes: [],
    contentChecks: [],
    transfers: [],
    messages: [],
    composed: [],
  }
  /** What the fake model says next instead of restating (tests of the grounding check). */
  nextComposed: string | null = null
  private readonly bills = new Map<string, FakeBill>()
  /** Bill numbers whose next transfer fails before anything is created (tests of retries). */
  readonly failNextTransfer = new Set<string>()
  /** How new bills behave (tests set it; `npm start` reads WAL_FAKE_TRANSFER). */
  transferMode: FakeTransferMode = modeFromEnv()
  /** How long a bill waits for the user before it closes, in `never` mode. */
  confirmWindowMs = windowFromEnv()

  async sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    this.log.messages.push(message)
  }

  /** A deterministic stand-in for the model: the first source's answer, introduced. */
  async composeAnswer(input: {
    question: string
    sources: AnswerSource[]
  }): Promise<{ text: string }> {
    this.log.composed.push({ question: input.question, sources: input.sources.map((s) => s.id) })
    const scripted = this.nextComposed
    this.nextComposed = null
    return { text: scripted ?? `简单来说：${input.sources[0]?.answer ?? ''}` }
  }

  async getUnlimitedCode(input: { scene: string; page: string }): Promise<Buffer> {
    this.log.codes.push(input)
    // A real QR code (PNG) of the page and scene, where WeChat would draw its round mini-program
    // code: a phone camera or a test decodes the scene back from it.
    return QRCode.toBuffer(localCodeText(input), {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 2,
      width: 280,
    })
  }

  async checkContent(input: { content: string; openid: string }): Promise<ContentCheckResult> {
    this.log.contentChecks.push(input)
    const hit = FAKE_RISKY_WORDS.find((w) => input.content.includes(w))
    return hit
      ? { suggest: 'risky', label: 'fake-risky-word' }
      : { suggest: 'pass', label: 'normal' }
  }

  async transfer(input: TransferRequest): Promise<TransferResult> {
    const existing = this.bills.get(input.billNo)
    // WeChat Pay deduplicates by out_bill_no: a repeat is the same bill, never a second payment.
    if (existing) return this.view(existing)
    if (this.failNextTransfer.delete(input.billNo)) {
      return { status: 'failed', reason: 'FAKE_TRANSIENT_FAILURE' }
    }
    this.log.transfers.push({
      billNo: input.billNo,
      openid: input.openid,
      amountFen: input.amountFen,
    })
    const bill: FakeBill = {
      billNo: input.billNo,
      openid: input.openid,
      amountFen: input.amountFen,
      state: this.transferMode === 'pay' ? 'SUCCESS' : 'WAIT_USER_CONFIRM',
      failReason: null,
      createdAt: now().getTime(),
      mode: this.transferMode,
    }
    this.bills.set(bill.billNo, bill)
    return this.view(bill)
  }

  async queryTransfer(input: { billNo: string }): Promise<TransferLookup> {
    const bill = this.bills.get(input.billNo)
    if (!bill) return { status: 'not_found' }
    if (bill.state === 'WAIT_USER_CONFIRM') {
      if (bill.mode === 'confirm') bill.state = 'SUCCESS'
      else if (now().getTime() - bill.createdAt >= this.confirmWindowMs) this.closeBill(bill)
    }
    return this.view(bill)
  }

  /** The user confirms receipt in WeChat (tests). */
  confirmBill(billNo: string): void {
    const bill = this.bills.get(billNo)
    if (bill?.state === 'WAIT_USER_CONFIRM') bill.state = 'SUCCESS'
  }

  /** WeChat Pay closes an unconfirmed bill (tests; `never` mode does it after the window). */
  expireBill(billNo: string): void {
    const bill = this.bills.get(billNo)
    if (bill?.state === 'WAIT_USER_CONFIRM') this.closeBill(bill)
  }

  private closeBill(bill: FakeBill): void {
    bill.state = 'FAIL'
    bill.failReason = 'OVERDUE_CLOSE'
  }

  private view(bill: FakeBill): TransferResult {
    const transferId = `fake-${bill.billNo}`
    if (bill.state === 'SUCCESS') return { status: 'paid', transferId }
    if (bill.state === 'FAIL') {
      return { status: 'closed', transferId, state: 'FAIL', failReason: bill.failReason }
    }
    return {
      status: 'awaiting_user',
      transferId,
      state: 'WAIT_USER_CONFIRM',
      packageInfo: `${LOCAL_TRANSFER_PACKAGE_PREFIX}${bill.billNo}`,
      mchId: FAKE_MCH_ID,
      appId: FAKE_APP_ID,
      billCreatedAt: new Date(bill.createdAt).toISOString(),
    }
  }
}
