// A comic (漫画): its panels in order, each an image from cloud storage with its caption; a panel
// whose image cannot load (or has none) shows a text panel with its number instead.
import { getContentItem, type ContentItemView } from '../../../services/content'
import { saveProgress } from '../../../utils/reading-progress'
import { text } from '../strings'
import {
  imageFailed,
  openItem,
  loading,
  loadFailed,
  type Phase,
  readingMethods,
} from '../item-page'

interface Panel {
  key: string
  number: number
  image: string | null
  caption: string
}

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    id: '',
    item: null as ContentItemView | null,
    panels: [] as Panel[],
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
        this.setData({
          phase: 'ready',
          item,
          panels: item.panels.map((p, i) => ({
            key: `p${i + 1}`,
            number: i + 1,
            image: p.image,
            caption: p.caption,
          })),
          failed: {},
        })
        saveProgress(item.id, 'reading')
      } catch (err) {
        this.setData(loadFailed(err))
      }
    },

    onPanelError(e: WechatMiniprogram.BaseEvent) {
      this.setData(imageFailed(e))
    },

    ...readingMethods('comic'),
  },
})
