// The prize of one draw (nine-grid or box), revealed over the page: a win is celebrated (满满
// cheering, rays and confetti, the amount large), a tier worth nothing is thanked (意意, no
// confetti). It says where the prize went, the chances left and the way on. It only shows the
// view it is given (see view.ts) and reports taps as events: `again` (再抽一次), `wallet`
// (查看我的积分), `back` (返回抽奖首页) and `close` (✕: back to the grid or the box).
import { text } from './strings'

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    /** A PrizeView (view.ts). */
    view: { type: Object, value: {} },
  },

  /** Ten confetti pieces, each placed and coloured by its class (index.wxss). */
  data: { text, confetti: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] },

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
    onClose() {
      this.triggerEvent('close')
    },
  },
})
