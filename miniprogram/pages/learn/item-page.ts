// What every learn item page (article, comic, video, handbook, quiz, answer) shares: the id from
// the page's query, the error when it is missing or malformed, the loading and failed states of
// its load(), and the key of an image that could not load. Each page keeps its own mapping.
import type { ContentKind } from 'wal-core'
import { toServiceError } from '../../services/service-error'
import { saveProgress } from '../../utils/reading-progress'
import { goBack, routes } from '../../utils/routes'
import { text } from './strings'

export type Phase = 'loading' | 'error' | 'ready'

const ID = /^[a-z0-9][a-z0-9-]{0,47}$/

type Query = Record<string, string | undefined>

interface ItemPage {
  setData(data: Record<string, unknown>): void
  load(): Promise<void>
}

/** The item's id from the page query, or '' when it is missing or not an id. */
export function idFrom(query: Query): string {
  return query.id && ID.test(query.id) ? query.id : ''
}

/** onLoad: a bad id shows text.noItem; a good one is kept and loaded. */
export function openItem(page: ItemPage, query: Query): Promise<void> | undefined {
  const id = idFrom(query)
  if (!id) {
    page.setData({ phase: 'error', message: text.noItem })
    return undefined
  }
  page.setData({ id })
  return page.load()
}

/** The state while load() runs. */
export function loading(): { phase: 'loading'; message: string } {
  return { phase: 'loading', message: '' }
}

/** The state when load() failed: the service error's message. */
export function loadFailed(err: unknown): { phase: 'error'; message: string } {
  return { phase: 'error', message: toServiceError(err).message }
}

/** An image (by its data-key) that failed to load: shown as its description instead. */
export function imageFailed(e: WechatMiniprogram.BaseEvent): Record<string, boolean> {
  return { [`failed.${e.currentTarget.dataset.key as string}`]: true }
}

interface ReadingPage {
  data: { id: string; item: { id: string; title: string } | null }
  load(): Promise<void>
}

/**
 * The methods an item read from top to bottom (article, comic, video) shares: 重试, 返回, 已读 on
 * reaching the end or on 读完了 (then back), and a share card of the item.
 */
export function readingMethods(kind: ContentKind) {
  return {
    onRetry(this: ReadingPage) {
      return this.load()
    },

    onBack() {
      goBack(routes.learn)
    },

    onReachBottom(this: ReadingPage) {
      if (this.data.item) saveProgress(this.data.item.id, 'done')
    },

    /** 读完了: marked 已读, back to where the reader came from. */
    onFinish(this: ReadingPage) {
      if (this.data.item) saveProgress(this.data.item.id, 'done')
      goBack(routes.learn)
    },

    onShareAppMessage(this: ReadingPage) {
      return {
        title: this.data.item?.title ?? text.title,
        path: routes.learnItem(kind, this.data.id),
      }
    },
  }
}
