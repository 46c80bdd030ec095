// Cash red envelopes waiting for their winner (cloud function `payout`, contract in
// core/contracts.ts), and WeChat's own confirmation page (wx.requestMerchantTransfer), where the
// winner confirms receipt of a merchant transfer (商家转账) into their WeChat balance.
import {
  LOCAL_TRANSFER_PACKAGE_PREFIX,
  contractRef,
  type PayoutClaim,
  type PendingPayout,
  type payoutContract,
} from 'wal-core'
import { config } from '../config'
import { callAction } from './call'

const payoutFn = contractRef<typeof payoutContract>('payout')

export type { PayoutClaim, PendingPayout }
export type TransferConfirm = NonNullable<PendingPayout['confirm']>

/** The caller's envelopes to confirm (or, after their bill expired, to claim again). */
export async function listPendingPayouts(): Promise<PendingPayout[]> {
  return (await callAction(payoutFn, 'mine', {})).items
}

/**
 * After the winner confirmed in WeChat: the server asks WeChat Pay at once. Safe to repeat (it
 * only reads where the transfer stands), so no requestId.
 */
export function checkPayout(payoutKey: string): Promise<PayoutClaim> {
  return callAction(payoutFn, 'check', { payoutKey })
}

/**
 * An expired envelope claimed again: a new transfer, whose confirmation comes back in `item`.
 * Safe to repeat: only an expired envelope moves, so a repeat replies where it stands.
 */
export function reclaimPayout(payoutKey: string): Promise<PayoutClaim> {
  return callAction(payoutFn, 'reclaim', { payoutKey })
}

/** How WeChat's confirmation page ended. */
export type ConfirmOutcome =
  /** The winner confirmed (the money arrives when WeChat Pay says SUCCESS: ask with check). */
  | { kind: 'confirmed' }
  /** They closed the page without confirming. */
  | { kind: 'cancelled' }
  /** This WeChat is too old for wx.requestMerchantTransfer (base library < 3.3.0). */
  | { kind: 'unsupported' }
  | { kind: 'failed'; errMsg: string }

const LOCAL_SIMULATION = {
  title: '本地模拟收款',
  content: '本地环境不连接微信支付，无法打开微信的确认收款页。点“确认收款”模拟在微信中确认收款。',
  confirmText: '确认收款',
}

/** The local cloud's fake transfers: a modal stands in for WeChat's page. */
function simulateLocally(): Promise<ConfirmOutcome> {
  return new Promise((resolve) => {
    wx.showModal({
      ...LOCAL_SIMULATION,
      success: (res) => resolve(res.confirm ? { kind: 'confirmed' } : { kind: 'cancelled' }),
      fail: () => resolve({ kind: 'cancelled' }),
    })
  })
}

/** Opens WeChat's confirmation page for one transfer. Never rejects. */
export function confirmReceipt(confirm: TransferConfirm): Promise<ConfirmOutcome> {
  if (config.backend === 'local' && confirm.package.startsWith(LOCAL_TRANSFER_PACKAGE_PREFIX)) {
    return simulateLocally()
  }
  if (!wx.canIUse('requestMerchantTransfer')) return Promise.resolve({ kind: 'unsupported' })
  return new Promise((resolve) => {
    wx.requestMerchantTransfer({
      mchId: confirm.mchId,
      appId: confirm.appId,
      package: confirm.package,
      // "ok" only means the page was shown and closed; whether money moved, WeChat Pay says.
      success: () => resolve({ kind: 'confirmed' }),
      fail: (err: { errMsg?: string }) => {
        const errMsg = err?.errMsg ?? ''
        resolve(/cancel/i.test(errMsg) ? { kind: 'cancelled' } : { kind: 'failed', errMsg })
      },
    })
  })
}
