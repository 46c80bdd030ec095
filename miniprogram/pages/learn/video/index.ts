// A video (视频): the video component plays its source; without one (not uploaded yet) or when it
// cannot play (no network, a bad file), the poster and title stay and the text version below
// carries the lesson. Watching to the end, or reading to the end, marks it 已读.
import { getContentItem, type ContentItemView } from '../../../services/content'
import { saveProgress } from '../../../utils/reading-progress'
import { durationLine, text } from '../strings'
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
    failed: {} as Record<string, boolean>,
    /** Whether to show the player: a source, and no playing error yet. */
    playable: false,
    notice: '',
    duration: '',
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
        const src = item.video?.src ?? null
        this.setData({
          phase: 'ready',
          item,
          blocks: shownBlocks(item.body),
          failed: {},
          playable: !!src,
          notice: src ? '' : text.videoComing,
          duration: durationLine(item.video?.durationSec ?? null),
        })
        saveProgress(item.id, 'reading')
      } catch (err) {
        this.setData(loadFailed(err))
      }
    },

    /** The source cannot play: back to the poster, and say the text version is below. */
    onVideoError() {
      this.setData({ playable: false, notice: text.videoUnavailable })
    },

    onVideoEnded() {
      if (this.data.item) saveProgress(this.data.item.id, 'done')
    },

    onImageError(e: WechatMiniprogram.BaseEvent) {
      this.setData(imageFailed(e))
    },

    ...readingMethods('video'),
  },
})
