// An article (文章): its blocks as built rich-text nodes, images from cloud storage with their
// description when one cannot load; opening it marks it 在读 on this phone, reaching the end 已读.
import { getContentItem, type ContentItemView } from '../../../services/content'
import { toServiceError } from '../../../services/service-error'
import { saveProgress } from '../../../utils/reading-progress'
import { goBack, routes } from '../../../utils/routes'
import { text } from '../strings'
import { shownBlocks, type Shown } from '../view'

type Phase = 'loading' | 'error' | 'ready'
const ID = /^[a-z0-9][a-z0-9-]{0,47}$/

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    id: '',
    item: null as ContentItemView | null,
    blocks: [] as Shown[],
    /** Images that failed to load, by block key: shown as their description instead. */
    failed: {} as Record<string, boolean>,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const id = query.id && ID.test(query.id) ? query.id : ''
      if (!id) {
        this.setData({ phase: 'error', message: text.noItem })
        return undefined
      }
      this.setData({ id })
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const { item } = await getContentItem(this.data.id)
        wx.setNavigationBarTitle({ title: item.title })
        this.setData({ phase: 'ready', item, blocks: shownBlocks(item.body), failed: {} })
        saveProgress(item.id, 'reading')
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.learn)
    },

    onImageError(e: WechatMiniprogram.BaseEvent) {
      const key = e.currentTarget.dataset.key as string
      this.setData({ [`failed.${key}`]: true })
    },

    onReachBottom() {
      if (this.data.item) saveProgress(this.data.item.id, 'done')
    },

    /** 读完了: marked 已读, back to where the reader came from. */
    onFinish() {
      if (this.data.item) saveProgress(this.data.item.id, 'done')
      goBack(routes.learn)
    },

    onShareAppMessage() {
      return {
        title: this.data.item?.title ?? text.title,
        path: routes.learnItem('article', this.data.id),
      }
    },
  },
})
