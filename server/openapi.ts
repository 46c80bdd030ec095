// The WeChat open APIs used by the product, behind one port. In CloudBase the adapter calls
// cloud.openapi; the local cloud registers deterministic fakes (emulator/openapi.ts) instead.
import cloud from 'wx-server-sdk'

export interface ContentCheckResult {
  /** pass: publishable; review: keep but do not show publicly; risky: flagged. */
  suggest: 'pass' | 'review' | 'risky'
  label: string
}

export type TransferResult =
  { status: 'paid'; transferId: string } | { status: 'failed'; reason: string }

export interface OpenApi {
  /** Mini-program code image (wxacode.getUnlimited) for a share-code scene. */
  getUnlimitedCode(input: { scene: string; page: string }): Promise<Buffer>
  /** Content security check (security.msgSecCheck v2) of user text. */
  checkContent(input: { content: string; openid: string }): Promise<ContentCheckResult>
  /** Cash payout (WeChat Pay merchant transfer); payoutKey makes a repeat harmless. */
  transfer(input: {
    payoutKey: string
    openid: string
    amountFen: number
    remark: string
  }): Promise<TransferResult>
}

const LOCAL_OPENAPI = Symbol.for('wal-survey.local-openapi')

/** Used by the local cloud only: route open API calls to its fakes. */
export function registerLocalOpenApi(api: OpenApi | undefined): void {
  ;(globalThis as Record<symbol, unknown>)[LOCAL_OPENAPI] = api
}

interface CloudOpenApi {
  wxacode: {
    getUnlimited(req: {
      scene: string
      page: string
      checkPath?: boolean
    }): Promise<{ buffer: Buffer }>
  }
  security: {
    msgSecCheck(req: { content: string; version: number; scene: number; openid: string }): Promise<{
      result?: { suggest?: string; label?: number | string }
    }>
  }
}

const cloudOpenApi: OpenApi = {
  async getUnlimitedCode({ scene, page }) {
    const api = (cloud as unknown as { openapi: CloudOpenApi }).openapi
    const res = await api.wxacode.getUnlimited({ scene, page, checkPath: false })
    return res.buffer
  },
  async checkContent({ content, openid }) {
    const api = (cloud as unknown as { openapi: CloudOpenApi }).openapi
    // scene 2 = 评论 (comment-like free text), as documented for msgSecCheck v2.
    const res = await api.security.msgSecCheck({ content, version: 2, scene: 2, openid })
    const suggest = res.result?.suggest
    return {
      suggest: suggest === 'pass' ? 'pass' : suggest === 'review' ? 'review' : 'risky',
      label: String(res.result?.label ?? ''),
    }
  },
  async transfer() {
    // WeChat Pay merchant transfer needs the merchant's certificate and keys, configured per
    // deployment (docs/operations.md). Until they are, payouts stay queued rather than lost.
    return { status: 'failed', reason: 'PAYOUT_NOT_CONFIGURED' }
  },
}

export function getOpenApi(): OpenApi {
  const local = (globalThis as Record<symbol, unknown>)[LOCAL_OPENAPI] as OpenApi | undefined
  return local ?? cloudOpenApi
}
