// 百问百答: ask in your own words (the server segments Chinese and ranks the answers), get the
// best-matching answer with the questions it came from, or "你可能想问" when nothing matches well
// enough; below, every question by topic. Opened with ?q=… it asks at once.
import {
  askQuestion,
  listFaqs,
  type AskReply,
  type FaqLine,
  type FaqTopic,
} from '../../../services/content'
import { toServiceError } from '../../../services/service-error'
import { goBack, routes } from '../../../utils/routes'
import { text } from '../strings'

type Phase = 'loading' | 'error' | 'ready'
const ALL = 'all'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    tabs: [] as Array<{ value: string; label: string }>,
    tab: ALL,
    all: [] as FaqLine[],
    shown: [] as FaqLine[],
    question: '',
    asking: false,
    asked: false,
    askError: '',
    reply: null as AskReply | null,
    /** The source questions of the answer, for the "依据" cells. */
    sources: [] as Array<{ id: string; question: string }>,
    others: [] as Array<{ id: string; question: string }>,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const q = typeof query.q === 'string' ? decodeURIComponent(query.q).slice(0, 200) : ''
      return this.load().then(() => {
        if (q) {
          this.setData({ question: q })
          return this.ask()
        }
        return undefined
      })
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const { topics, faqs } = await listFaqs()
        this.setData({
          phase: 'ready',
          tabs: [
            { value: ALL, label: text.allTopics },
            ...topics.map((t) => ({ value: t.id, label: t.name })),
          ],
          all: faqs,
          shown: this.filter(faqs, this.data.tab),
        })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    filter(all: FaqLine[], tab: string): FaqLine[] {
      return tab === ALL ? all : all.filter((f) => f.topic === (tab as FaqTopic))
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.learn)
    },

    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ question: e.detail.value })
    },

    onAsk() {
      return this.ask()
    },

    async ask(): Promise<void> {
      const question = this.data.question.trim()
      if (!question || this.data.asking) return
      this.setData({ asking: true, askError: '' })
      try {
        const reply = await askQuestion(question)
        const sourceIds = new Set(reply.answer?.sources ?? [])
        this.setData({
          asking: false,
          asked: true,
          reply,
          sources: reply.matches
            .filter((m) => sourceIds.has(m.id))
            .map((m) => ({ id: m.id, question: m.question })),
          others: reply.matches
            .filter((m) => !sourceIds.has(m.id))
            .map((m) => ({ id: m.id, question: m.question })),
        })
      } catch (err) {
        this.setData({ asking: false, askError: toServiceError(err).message })
      }
    },

    onTabChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const tab = e.detail.value
      this.setData({ tab, shown: this.filter(this.data.all, tab) })
    },

    onFaq(e: WechatMiniprogram.BaseEvent) {
      wx.navigateTo({ url: routes.learnAnswer(e.currentTarget.dataset.id as string) })
    },

    onShareAppMessage() {
      const q = this.data.question.trim()
      return { title: q || text.faqEntry, path: routes.learnFaq(q || undefined) }
    },
  },
})
