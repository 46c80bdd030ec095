// Deterministic local fakes for the WeChat open APIs the product uses. The production adapter
// (server/openapi.ts) calls cloud.openapi / WeChat Pay; functions only see the OpenApi port.
import { createHash } from 'node:crypto'
import type { OpenApi, ContentCheckResult, TransferResult } from '../server/openapi'

export interface FakeOpenApiLog {
  codes: Array<{ scene: string; page: string }>
  contentChecks: Array<{ content: string; openid: string }>
  transfers: Array<{ payoutKey: string; openid: string; amountFen: number }>
}

/** Words the fake content-security check treats as risky, so tests can trigger a flag on purpose. */
export const FAKE_RISKY_WORDS = ['赌博', '诈骗链接', '违禁']

export class FakeOpenApi implements OpenApi {
  readonly log: FakeOpenApiLog = { codes: [], contentChecks: [], transfers: [] }
  private readonly paid = new Map<string, TransferResult>()
  /** Payout keys that fail on their next attempt (tests of retries). */
  readonly failNextTransfer = new Set<string>()

  async getUnlimitedCode(input: { scene: string; page: string }): Promise<Buffer> {
    this.log.codes.push(input)
    // A small, stable PNG-like payload: the same scene always yields the same bytes.
    const digest = createHash('sha256').update(`${input.page}?${input.scene}`).digest()
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), digest])
  }

  async checkContent(input: { content: string; openid: string }): Promise<ContentCheckResult> {
    this.log.contentChecks.push(input)
    const hit = FAKE_RISKY_WORDS.find((w) => input.content.includes(w))
    return hit
      ? { suggest: 'risky', label: 'fake-risky-word' }
      : { suggest: 'pass', label: 'normal' }
  }

  async transfer(input: {
    payoutKey: string
    openid: string
    amountFen: number
    remark: string
  }): Promise<TransferResult> {
    const done = this.paid.get(input.payoutKey)
    if (done) return done // WeChat Pay deduplicates by out_bill_no: a repeat is not a second payment
    if (this.failNextTransfer.delete(input.payoutKey)) {
      return { status: 'failed', reason: 'FAKE_TRANSIENT_FAILURE' }
    }
    this.log.transfers.push({
      payoutKey: input.payoutKey,
      openid: input.openid,
      amountFen: input.amountFen,
    })
    const result: TransferResult = { status: 'paid', transferId: `fake-${input.payoutKey}` }
    this.paid.set(input.payoutKey, result)
    return result
  }
}
