// An article (文章): its blocks as built rich-text nodes, images from cloud storage with their
// description when one cannot load; opening it marks it 在读 on this phone, reaching the end 已读.
import { getContentItem, type ContentItemView } from '../../../services/content'
import { saveProgress } from '../../../utils/reading-progress'
import { goBack, routes } from '../../../utils/routes'
import { text } from '../strings'
import { shownBlocks, type Shown } from '../view'
import { imageFailed, openItem, loading, loadFailed, type Phase } from '../item-page'

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
      return openItem(this, query)
    },

    async load(): Promise<void> {
      this.setData(loading())
      try {
        const { item } = await getContentItem(this.data.id)
        wx.setNavigationBarTitle({ title: item.title })
        this.setData({ phase: 'ready', item, blocks: shownBlocks(item.body), failed: {} })
        saveProgress(item.id, 'reading')
      } catch (err) {
        this.setData(loadFailed(err))
      }
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.learn)
    },

    onImageError(e: WechatMiniprogram.BaseEvent) {
      this.setData(imageFailed(e))
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
