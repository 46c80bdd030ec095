// The open API port: the WeChat open APIs the use cases need, as an interface. Adapters implement
// it — server/openapi.ts picks CloudBase's (cloud.openapi, server/wechat-pay/) or the local
// cloud's fakes (emulator/openapi.ts) — and import it from here, so no adapter imports the picker.
// Where a bill stands (TransferResult, TransferLookup) is core's: the payout decisions act on it.
import type { TransferLookup, TransferResult } from 'wal-core'

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

/** A subscription message (订阅消息) the user agreed to receive with wx.requestSubscribeMessage. */
export interface SubscribeMessage {
  openid: string
  /** Which of our templates; its WeChat template id is deployment configuration. */
  template: 'pickup_reminder'
  /** The page the message opens. */
  page: string
  /** Template fields by key (thing1, time4 …), as plain strings. */
  data: Record<string, string>
}

/** One matched 百问百答 answer handed to the AI model: the only facts it may use. */
export interface AnswerSource {
  id: string
  question: string
  answer: string
}

export interface OpenApi {
  /** Mini-program code image (wxacode.getUnlimited) for a share-code scene. */
  getUnlimitedCode(input: { scene: string; page: string }): Promise<Buffer>
  /** Content security check (security.msgSecCheck v2) of user text. */
  checkContent(input: { content: string; openid: string }): Promise<ContentCheckResult>
  /** Cash payout (WeChat Pay merchant transfer); the bill number makes a repeat harmless. */
  transfer(input: TransferRequest): Promise<TransferResult>
  /** The bill with this number, as WeChat Pay sees it now (商户单号查询转账单). */
  queryTransfer(input: { billNo: string }): Promise<TransferLookup>
  /** subscribeMessage.send; resolves when WeChat accepted it. */
  sendSubscribeMessage(input: SubscribeMessage): Promise<void>
  /**
   * A plain rephrasing of the matched answers for the question (CloudBase AI, cloud.ai()). It may
   * only restate the sources; the caller checks it and shows the sources beside it.
   */
  composeAnswer(input: { question: string; sources: AnswerSource[] }): Promise<{ text: string }>
}
