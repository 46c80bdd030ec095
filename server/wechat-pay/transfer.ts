// 商家转账 (merchant transfer, the user-confirmation mode) through WeChat Pay API v3: create a
// bill for a payout and look a bill up by its number, answered in the terms of the OpenApi port.
// The one rule that keeps money safe: a bill number is never given up on a doubt. After a network
// error, an unverifiable reply or any error status, the bill is looked up before anything else,
// and whatever happens next uses the same number.
import { z } from 'zod'
import type { TransferLookup, TransferResult } from 'wal-core'
import type { TransferRequest } from '../openapi-port'
import {
  CASH_MARKETING_SCENE,
  currentWechatPayConfig,
  type SceneReportInfo,
  type WechatPayConfig,
} from './config'
import { WechatPayTransportError, wechatPayRequest, type WechatPayReply } from './client'

export const TRANSFER_BILLS_PATH = '/v3/fund-app/mch-transfer/transfer-bills'
export const billPath = (billNo: string): string =>
  `${TRANSFER_BILLS_PATH}/out-bill-no/${encodeURIComponent(billNo)}`

/** The reason logged (as lastError) while WeChat Pay is not configured (payouts stay queued). */
const NOT_CONFIGURED = 'PAYOUT_NOT_CONFIGURED'

/** The fields of a bill we read (creation reply and look-up reply alike). */
const billSchema = z.looseObject({
  out_bill_no: z.string(),
  transfer_bill_no: z.string().optional(),
  state: z.string(),
  create_time: z.string().optional(),
  fail_reason: z.string().optional(),
  package_info: z.string().optional(),
})
type Bill = z.infer<typeof billSchema>

const errorSchema = z.looseObject({ code: z.string(), message: z.string().optional() })

/** A bill's state, in the port's terms. Unknown states are never taken as final. */
export function toTransferResult(bill: Bill, config: WechatPayConfig): TransferResult {
  const transferId = bill.transfer_bill_no ?? null
  switch (bill.state) {
    case 'SUCCESS':
      return { status: 'paid', transferId: transferId ?? bill.out_bill_no }
    case 'WAIT_USER_CONFIRM':
    case 'TRANSFERING':
      // TRANSFERING: "可拉起微信收款确认页面再次重试确认收款" — the user may confirm again.
      if (bill.state === 'WAIT_USER_CONFIRM' || bill.package_info) {
        return {
          status: 'awaiting_user',
          transferId: transferId ?? bill.out_bill_no,
          state: bill.state,
          packageInfo: bill.package_info ?? null,
          mchId: config.mchId,
          appId: config.appId,
          billCreatedAt: bill.create_time ?? null,
        }
      }
      return { status: 'in_progress', transferId, state: bill.state }
    case 'FAIL':
    case 'CANCELLED':
      return {
        status: 'closed',
        transferId,
        state: bill.state,
        failReason: bill.fail_reason ?? null,
      }
    default:
      // ACCEPTED, PROCESSING, CANCELING, and anything new: not final, look again later.
      return { status: 'in_progress', transferId, state: bill.state }
  }
}

function errorReason(reply: WechatPayReply): string {
  const err = errorSchema.safeParse(reply.data)
  return `WXPAY_HTTP_${reply.status}${err.success ? `_${err.data.code}` : ''}`
}

function reasonOf(err: unknown): string {
  if (err instanceof WechatPayTransportError) {
    return `${err.kind === 'network' ? 'WXPAY_NETWORK' : 'WXPAY_UNVERIFIED'}: ${err.message}`
  }
  return `WXPAY_ERROR: ${err instanceof Error ? err.message : String(err)}`
}

function reportInfos(config: WechatPayConfig, activityName: string): SceneReportInfo[] {
  // Other scenes bring theirs (the configuration refuses one without them).
  if (config.sceneReportInfos || config.transferSceneId !== CASH_MARKETING_SCENE)
    return config.sceneReportInfos ?? []
  // Scene 1000 (现金营销) requires exactly these two, each 1–32 characters.
  return [
    { info_type: '活动名称', info_content: (config.activityName ?? activityName).slice(0, 32) },
    { info_type: '奖励说明', info_content: config.rewardNote },
  ]
}

/** The body of 发起转账. Every retry of one bill number sends the same body. */
export function transferBillBody(config: WechatPayConfig, input: TransferRequest) {
  return {
    appid: config.appId,
    out_bill_no: input.billNo,
    transfer_scene_id: config.transferSceneId,
    openid: input.openid,
    transfer_amount: input.amountFen,
    transfer_remark: input.remark.slice(0, 32),
    ...(config.userRecvPerception ? { user_recv_perception: config.userRecvPerception } : {}),
    transfer_scene_report_infos: reportInfos(config, input.activityName),
  }
}

const logged = new Set<string>()

/** Once per instance and mistake: a run meets it for every payout it looks at. */
function logMisconfiguration(problems: string[]): void {
  const line = `[payout] WeChat Pay configuration unusable: ${problems.join('; ')}`
  if (logged.has(line)) return
  logged.add(line)
  console.error(line)
}

function configured(): { config: WechatPayConfig } | { result: TransferResult } {
  const read = currentWechatPayConfig()
  if (read.status === 'ok') return { config: read.config }
  if (read.status === 'missing')
    return { result: { status: 'not_configured', reason: NOT_CONFIGURED } }
  logMisconfiguration(read.problems)
  const reason = `${NOT_CONFIGURED}: ${read.problems.join('; ')}`
  return { result: { status: 'not_configured', reason } }
}

async function lookUp(config: WechatPayConfig, billNo: string): Promise<TransferLookup> {
  let reply: WechatPayReply
  try {
    reply = await wechatPayRequest(config, 'GET', billPath(billNo))
  } catch (err) {
    return { status: 'failed', reason: reasonOf(err) }
  }
  if (reply.status === 200) {
    const bill = billSchema.safeParse(reply.data)
    if (bill.success && bill.data.out_bill_no === billNo) return toTransferResult(bill.data, config)
    return { status: 'failed', reason: 'WXPAY_BAD_BILL_REPLY' }
  }
  const err = errorSchema.safeParse(reply.data)
  if (reply.status === 404 && err.success && err.data.code === 'NOT_FOUND') {
    return { status: 'not_found' }
  }
  return { status: 'failed', reason: errorReason(reply) }
}

/** 商户单号查询转账单: the bill `billNo`, or not_found when WeChat Pay has none by that number. */
export async function queryTransferBill(input: { billNo: string }): Promise<TransferLookup> {
  const c = configured()
  if ('result' in c) return c.result
  return lookUp(c.config, input.billNo)
}

/**
 * 发起转账 for one payout. A repeat with the same bill number and body answers the existing
 * bill. Anything short of a verified 200 is followed by a look-up of that number: if the bill
 * exists, its state is the answer; if it does not, the call failed and may be repeated as is.
 */
export async function createTransferBill(input: TransferRequest): Promise<TransferResult> {
  const c = configured()
  if ('result' in c) return c.result
  const { config } = c
  let why: string
  try {
    const reply = await wechatPayRequest(
      config,
      'POST',
      TRANSFER_BILLS_PATH,
      transferBillBody(config, input),
    )
    if (reply.status === 200) {
      const bill = billSchema.safeParse(reply.data)
      if (bill.success && bill.data.out_bill_no === input.billNo) {
        return toTransferResult(bill.data, config)
      }
      why = 'WXPAY_BAD_BILL_REPLY'
    } else {
      why = errorReason(reply)
    }
  } catch (err) {
    why = reasonOf(err)
  }
  const found = await lookUp(config, input.billNo)
  if (found.status === 'not_found') return { status: 'failed', reason: why }
  if (found.status === 'failed') return { status: 'failed', reason: `${why}; ${found.reason}` }
  return found
}
