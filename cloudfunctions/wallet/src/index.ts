// Cloud function `wallet`: points balance and entries, nickname, transfers (积分转赠), and
// organisers' activity rewards.
import { walletContract } from 'wal-core'
import { defineFunction } from '../../../server/define-function'
import {
  balance,
  entries,
  grantActivityReward,
  previewTransfer,
  setNickname,
  transfer,
} from '../../../server/wallet'

export const main = defineFunction(walletContract, {
  balance: (_input, ctx) => balance(ctx.openid, ctx.now),
  entries: (input, ctx) => entries(input, ctx.openid),
  setNickname: (input, ctx) => setNickname(input, ctx.openid, ctx.now),
  previewTransfer: (input, ctx) => previewTransfer(input, ctx.openid),
  transfer: (input, ctx) => transfer(input, ctx.openid, ctx.now),
  grantActivityReward: (input, ctx) => grantActivityReward(input, ctx.openid, ctx.now),
})
