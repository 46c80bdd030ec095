// The anti-fraud handbook (防诈宝典) in chapters: one chapter at a time with 上一章 / 下一章 and the
// table of contents below; the phone remembers the chapter last open and reopens there, and the
// last chapter read marks the handbook 已读.
import { getContentItem, type ContentItemView } from '../../../services/content'
import { readProgress, saveProgress } from '../../../utils/reading-progress'
import { goBack, routes } from '../../../utils/routes'
import { chapterLine, text } from '../strings'
import { shownBlocks, type Shown } from '../view'
import { imageFailed, openItem, loading, loadFailed, type Phase } from '../item-page'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    id: '',
    item: null as ContentItemView | null,
    chapter: 0,
    chapterText: '',
    chapterTitle: '',
    blocks: [] as Shown[],
    failed: {} as Record<string, boolean>,
    toc: [] as Array<{ index: number; title: string; current: boolean }>,
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
        const remembered = readProgress()[item.id]?.chapter ?? 0
        this.setData({ phase: 'ready', item })
        this.show(Math.min(Math.max(remembered, 0), item.chapterList.length - 1))
      } catch (err) {
        this.setData(loadFailed(err))
      }
    },

    show(index: number) {
      const item = this.data.item
      if (!item) return
      const chapter = item.chapterList[index]
      if (!chapter) return
      const last = index === item.chapterList.length - 1
      this.setData({
        chapter: index,
        chapterTitle: chapter.title,
        chapterText: chapterLine(index, item.chapterList.length),
        blocks: shownBlocks(chapter.body),
        failed: {},
        toc: item.chapterList.map((c, i) => ({ index: i, title: c.title, current: i === index })),
      })
      saveProgress(item.id, last ? 'done' : 'reading', index)
      wx.pageScrollTo({ scrollTop: 0, duration: 0 })
    },

    onPrev() {
      this.show(this.data.chapter - 1)
    },

    onNext() {
      this.show(this.data.chapter + 1)
    },

    onChapter(e: WechatMiniprogram.BaseEvent) {
      this.show(Number(e.currentTarget.dataset.index))
    },

    onImageError(e: WechatMiniprogram.BaseEvent) {
      this.setData(imageFailed(e))
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.learn)
    },

    onShareAppMessage() {
      return {
        title: this.data.item?.title ?? text.title,
        path: routes.learnItem('handbook', this.data.id),
      }
    },
  },
})
