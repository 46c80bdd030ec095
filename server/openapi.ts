// The WeChat open APIs used by the product, behind one port. In CloudBase the adapter calls
// cloud.openapi and WeChat Pay (server/wechat-pay/); the local cloud registers deterministic fakes
// (emulator/openapi.ts) instead.
import cloud from 'wx-server-sdk'
import type { TransferLookup, TransferResult } from 'wal-core'
import { createTransferBill, queryTransferBill } from './wechat-pay/transfer'

export interface ContentCheckResult {
  /** pass: publishable; review: keep but do not show publicly; risky: flagged. */
  suggest: 'pass' | 'review' | 'risky'
  label: string
}

/** One cash payout as a WeChat Pay merchant-transfer bill (商家转账, 发起转账). */
export interface TransferRequest {
  /**
   * out_bill_no: the payout key, or for a payout claimed again after its bill closed unconfirmed,
   * the bill number of that generation (billNoOf). The same number is never a second payment.
   */
  billNo: string
  openid: string
  amountFen: number
  /** transfer_remark, shown to the user (≤ 32 characters). */
  remark: string
  /** 活动名称 reported with the transfer (scene 1000), unless the deployment sets its own. */
  activityName: string
}

// Where a bill stands: core/payout.ts (the payout decisions act on it).
export type { TransferLookup, TransferResult } from 'wal-core'

export interface OpenApi {
  /** Mini-program code image (wxacode.getUnlimited) for a share-code scene. */
  getUnlimitedCode(input: { scene: string; page: string }): Promise<Buffer>
  /** Content security check (security.msgSecCheck v2) of user text. */
  checkContent(input: { content: string; openid: string }): Promise<ContentCheckResult>
  /** Cash payout (WeChat Pay merchant transfer); the bill number makes a repeat harmless. */
  transfer(input: TransferRequest): Promise<TransferResult>
  /** The bill with this number, as WeChat Pay sees it now (商户单号查询转账单). */
  queryTransfer(input: { billNo: string }): Promise<TransferLookup>
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
  // WeChat Pay merchant transfer with the merchant's keys from the environment variables
  // (docs/operations.md). Until they are set, it replies not_configured and payouts stay queued
  // rather than lost.
  transfer: createTransferBill,
  queryTransfer: queryTransferBill,
}

export function getOpenApi(): OpenApi {
  const local = (globalThis as Record<symbol, unknown>)[LOCAL_OPENAPI] as OpenApi | undefined
  return local ?? cloudOpenApi
}
