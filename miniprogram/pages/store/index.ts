// 积分商城: the balance (with 我的积分 and 我的兑换), the catalogue by kind (全部, 礼品, 文创产品,
// 志愿者证书, 调查报告) as cards with price, provider, stock and any region notice; a card opens
// the item. The whole catalogue comes in one call and the tabs filter it here, so switching is
// instant. Pull down to refresh; back from a redemption the balance is fetched again.
import { toServiceError } from '../../services/service-error'
import { getCatalogue } from '../../services/store'
import { goHome, routes } from '../../utils/routes'
import { ALL, text, type KindTab } from './strings'
import { cardsOf, kindTabs, toItemCard, type ItemCard } from './view'

type Phase = 'loading' | 'error' | 'ready'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    balance: 0,
    tabs: kindTabs,
    tab: ALL as KindTab,
    all: [] as ItemCard[],
    cards: [] as ItemCard[],
  },

  methods: {
    onLoad() {
      return this.load()
    },

    /** Back from an item or a redemption: points and stock may have changed. */
    onShow() {
      if (this.data.phase === 'ready') return this.load(true)
      return Promise.resolve()
    },

    /** `quietly` keeps the page on screen; a failed quiet reload keeps it and says why. */
    async load(quietly = false): Promise<void> {
      if (!quietly) this.setData({ phase: 'loading', message: '' })
      try {
        const reply = await getCatalogue()
        const all = reply.items.map(toItemCard)
        this.setData({
          phase: 'ready',
          balance: reply.balance,
          all,
          cards: cardsOf(all, this.data.tab),
        })
      } catch (err) {
        const message = toServiceError(err).message
        if (quietly && this.data.phase === 'ready') wx.showToast({ title: message, icon: 'none' })
        else this.setData({ phase: 'error', message })
      }
    },

    async onPullDownRefresh(): Promise<void> {
      try {
        await this.load(true)
      } finally {
        wx.stopPullDownRefresh()
      }
    },

    onRetry() {
      return this.load()
    },

    onHome() {
      goHome()
    },

    onTabChange(e: { detail: { value: KindTab } }) {
      const tab = e.detail.value
      this.setData({ tab, cards: cardsOf(this.data.all, tab) })
    },

    onShowAll() {
      this.setData({ tab: ALL, cards: this.data.all })
    },

    onItem(e: { currentTarget: { dataset: { id: string } } }) {
      wx.navigateTo({ url: routes.storeItem(e.currentTarget.dataset.id) })
    },

    onWallet() {
      wx.navigateTo({ url: routes.wallet })
    },

    onMine() {
      wx.navigateTo({ url: routes.myRedemptions })
    },

    onShareAppMessage() {
      return { title: text.shareTitle, path: routes.store }
    },
  },
})
