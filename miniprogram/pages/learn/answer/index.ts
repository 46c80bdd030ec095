// One 百问百答 answer: the question and answer, related questions, and "这个回答有帮助吗？" — one
// vote per person per question (a change of mind moves it), counted on the server.
import { getFaq, sendFeedback, type FaqDetail } from '../../../services/content'
import { toServiceError } from '../../../services/service-error'
import { goBack, routes } from '../../../utils/routes'
import { text, votesLine } from '../strings'
import { openItem, loading, loadFailed, type Phase } from '../item-page'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    id: '',
    detail: null as FaqDetail | null,
    mine: null as FaqDetail['mine'],
    votes: '',
    voting: false,
    voteNote: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      return openItem(this, query)
    },

    async load(): Promise<void> {
      this.setData(loading())
      try {
        const detail = await getFaq(this.data.id)
        this.setData({
          phase: 'ready',
          detail,
          mine: detail.mine,
          votes: votesLine(detail.helpful),
          voteNote: '',
        })
      } catch (err) {
        this.setData(loadFailed(err))
      }
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.learnFaq())
    },

    async vote(helpful: boolean): Promise<void> {
      if (this.data.voting || !this.data.detail) return
      this.setData({ voting: true })
      try {
        const counts = await sendFeedback(this.data.detail.faq.id, helpful).run()
        this.setData({
          voting: false,
          mine: counts.mine,
          votes: votesLine(counts.helpful),
          voteNote: text.thanks,
        })
      } catch (err) {
        this.setData({ voting: false, voteNote: toServiceError(err).message })
      }
    },

    onHelpful() {
      return this.vote(true)
    },

    onUnhelpful() {
      return this.vote(false)
    },

    onRelated(e: WechatMiniprogram.BaseEvent) {
      wx.redirectTo({ url: routes.learnAnswer(e.currentTarget.dataset.id as string) })
    },

    onShareAppMessage() {
      return {
        title: this.data.detail?.faq.question ?? text.faqEntry,
        path: routes.learnAnswer(this.data.id),
      }
    },
  },
})
