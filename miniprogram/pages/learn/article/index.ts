// An article (文章): its blocks as built rich-text nodes, images from cloud storage with their
// description when one cannot load; opening it marks it 在读 on this phone, reaching the end 已读.
import { getContentItem, type ContentItemView } from '../../../services/content'
import { saveProgress } from '../../../utils/reading-progress'
import { text } from '../strings'
import { shownBlocks, type Shown } from '../view'
import {
  imageFailed,
  openItem,
  loading,
  loadFailed,
  type Phase,
  readingMethods,
} from '../item-page'

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

    onImageError(e: WechatMiniprogram.BaseEvent) {
      this.setData(imageFailed(e))
    },

    ...readingMethods('article'),
  },
})
