// Cloud function `wallet`: points balance and entries, nickname, transfers (积分转赠), and
// organisers' activity rewards.
import { walletInputs } from 'wal-core'
import { action, defineFunction } from '../../../server/define-function'
import {
  balance,
  entries,
  grantActivityReward,
  previewTransfer,
  setNickname,
  transfer,
} from '../../../server/wallet'

export const main = defineFunction({
  name: 'wallet',
  actions: {
    balance: action({
      input: walletInputs.balance,
      handler: (_input, ctx) => balance(ctx.openid, ctx.now),
    }),
    entries: action({
      input: walletInputs.entries,
      handler: (input, ctx) => entries(input, ctx.openid),
    }),
    setNickname: action({
      input: walletInputs.setNickname,
      handler: (input, ctx) => setNickname(input, ctx.openid, ctx.now),
    }),
    previewTransfer: action({
      input: walletInputs.previewTransfer,
      handler: (input, ctx) => previewTransfer(input, ctx.openid),
    }),
    transfer: action({
      input: walletInputs.transfer,
      handler: (input, ctx) => transfer(input, ctx.openid, ctx.now),
    }),
    grantActivityReward: action({
      input: walletInputs.grantActivityReward,
      handler: (input, ctx) => grantActivityReward(input, ctx.openid, ctx.now),
    }),
  },
})
