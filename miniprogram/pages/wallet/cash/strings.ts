// Every piece of text the page of red envelopes to claim shows, in one place.
import { formatInstant } from '../../../utils/china-time'

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在加载待领取的红包…',
  loadFailed: '加载失败',
  retry: '重试',
  back: '返回我的积分',
  intro:
    '抽中的现金红包需要您在微信中确认收款，才会存入微信零钱。请在 24 小时内领取；逾期未领取的红包不会作废，可以重新领取。',
  emptyTitle: '没有待领取的红包',
  emptyDescription: '抽中现金红包后，需要确认收款的红包会显示在这里',
  claim: '领取',
  reclaim: '重新领取',
  closing: '领取已超时，红包正在退回，稍后可重新领取',
  expired: '领取已超时，可以重新领取',
  paid: '红包已到账，请在微信零钱中查看',
  paidToast: '红包已到账',
  confirmedPending: '已确认收款，到账可能需要几分钟，请稍后下拉刷新查看',
  processing: '红包正在发放中，请稍后下拉刷新查看',
  failed: '红包暂未发放成功，我们会尽快处理，无需重新抽奖',
  cancelled: '已取消领取，您可以稍后再领',
  /** WeChat's confirmation page failed (its raw errMsg goes to the log, not to the person). */
  transferFailed: '微信未能完成收款确认，请稍后重试',
  unsupportedTitle: '无法领取',
  unsupported: '当前微信版本过低，无法确认收款。请将微信升级到最新版本后再来领取。',
  understood: '知道了',
}

export const amountText = (yuan: string): string => `${yuan} 元现金红包`

export const wonAtText = (iso: string): string => `中奖时间 ${formatInstant(iso)}`

export const deadlineText = (iso: string): string => `请在 ${formatInstant(iso)} 前领取`

export const claimFailed = (reason: string): string => `领取未完成：${reason}`
