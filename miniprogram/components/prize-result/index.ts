// The prize of one draw (nine-grid or box): what was won and where it went, the chances left, and
// the way on. It only shows the view it is given (see view.ts) and reports taps as events:
// `again` (再抽一次), `wallet` (查看我的积分) and `back` (返回抽奖首页).
import { text } from './strings'

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    /** A PrizeView (view.ts). */
    view: { type: Object, value: {} },
  },

  data: { text },

  methods: {
    onAgain() {
      this.triggerEvent('again')
    },
    onWallet() {
      this.triggerEvent('wallet')
    },
    onBack() {
      this.triggerEvent('back')
    },
  },
})
