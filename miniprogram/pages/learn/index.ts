// 学习与问答 home: the way into the 百问百答, the featured items, the library by category (全部,
// 防范诈骗, 个人信息保护 …) with each item's reading progress from this phone, and the quizzes with
// the person's best score and whether their points were already given.
import { getLearnHome, type QuizSummary } from '../../services/content'
import { toServiceError } from '../../services/service-error'
import { readProgress } from '../../utils/reading-progress'
import { goHome, routes } from '../../utils/routes'
import { bestLine, quizMeta, text } from './strings'
import { cardOf, type Card } from './view'

type Phase = 'loading' | 'error' | 'ready'
const ALL = 'all'

interface QuizCard extends QuizSummary {
  meta: string
  best_: string
}

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    tabs: [] as Array<{ value: string; label: string }>,
    tab: ALL,
    all: [] as Card[],
    featured: [] as Card[],
    cards: [] as Card[],
    quizzes: [] as QuizCard[],
  },

  methods: {
    onLoad() {
      return this.load()
    },

    /** Back from reading: progress marks may have changed (they live on the phone). */
    /**
     * Back from an item or a quiz: reading progress (this phone) at once, then a quiet reload so
     * a quiz just taken shows its best score and points.
     */
    onShow() {
      if (this.data.phase !== 'ready') return undefined
      const progress = readProgress()
      const all = this.data.all.map((c) => cardOf(c, progress[c.id]))
      this.setData({
        all,
        featured: all.filter((c) => c.featured),
        cards: this.filter(all, this.data.tab),
      })
      return this.load(true)
    },

    filter(all: Card[], tab: string): Card[] {
      return tab === ALL ? all : all.filter((c) => c.category === tab)
    },

    async load(quietly = false): Promise<void> {
      if (!quietly) this.setData({ phase: 'loading', message: '' })
      try {
        const home = await getLearnHome()
        const progress = readProgress()
        const all = home.items.map((i) => cardOf(i, progress[i.id]))
        this.setData({
          phase: 'ready',
          tabs: [
            { value: ALL, label: text.all },
            ...home.categories.map((c) => ({ value: c.id, label: c.name })),
          ],
          all,
          featured: all.filter((c) => c.featured),
          cards: this.filter(all, this.data.tab),
          quizzes: home.quizzes.map((q) => ({
            ...q,
            meta: quizMeta(q.questions, q.rewardPoints),
            best_: bestLine(q.best, q.rewarded),
          })),
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

    onTabChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const tab = e.detail.value
      this.setData({ tab, cards: this.filter(this.data.all, tab) })
    },

    onItem(e: WechatMiniprogram.BaseEvent) {
      const id = e.currentTarget.dataset.id as string
      const card = this.data.all.find((c) => c.id === id)
      if (card) wx.navigateTo({ url: routes.learnItem(card.kind, card.id) })
    },

    onQuiz(e: WechatMiniprogram.BaseEvent) {
      wx.navigateTo({ url: routes.learnQuiz(e.currentTarget.dataset.id as string) })
    },

    onFaq() {
      wx.navigateTo({ url: routes.learnFaq() })
    },

    onShareAppMessage() {
      return { title: text.share, path: routes.learn }
    },
  },
})
