// A list shown a page at a time (抽奖记录, 积分明细): the first page with pull-to-refresh, more
// after the cursor on reaching the bottom, and a guard that drops pages still on their way from
// a list a refresh has replaced. Pages keep their own data; these functions only set it.
import { toServiceError } from '../services/service-error'

export type ListPhase = 'loading' | 'error' | 'ready'

export interface Page<Item> {
  items: Item[]
  nextCursor: string | null
}

/** The fields of a page's data that these functions read and set. */
export interface PagedListData<Row> {
  phase: ListPhase
  message: string
  items: Row[]
  nextCursor: string | null
  loadingMore: boolean
  moreError: string
}

/** A page (the component instance) showing a paged list. */
export interface ListHost<Row> {
  data: PagedListData<Row>
  setData(data: Record<string, unknown>): void
}

/** What the first page sets, besides anything loaded beside it. */
export function firstPageData<Item, Row>(page: Page<Item>, toRow: (item: Item) => Row) {
  return {
    phase: 'ready' as const,
    items: page.items.map(toRow),
    nextCursor: page.nextCursor,
    loadingMore: false,
    moreError: '',
  }
}

/** What a further page sets: its rows appended to those shown. */
export function morePageData<Item, Row>(
  shown: Row[],
  page: Page<Item>,
  toRow: (item: Item) => Row,
) {
  return {
    items: [...shown, ...page.items.map(toRow)],
    nextCursor: page.nextCursor,
    loadingMore: false,
  }
}

/** Whether there is a further page to ask for now. */
export function canLoadMore(data: PagedListData<unknown>): data is PagedListData<unknown> & {
  nextCursor: string
} {
  return data.phase === 'ready' && !!data.nextCursor && !data.loadingMore
}

// A refresh makes pages still on their way from an older list stale.
const generations = new WeakMap<object, number>()

function generationOf(host: object): number {
  return generations.get(host) ?? 0
}

/**
 * Loads the first page: `fetch` returns what to set (see `firstPageData`), with anything shown
 * beside the list. `quietly` keeps the page on screen (pull-to-refresh); a failed quiet refresh
 * keeps what is shown and says why in a toast.
 */
export async function loadFirstPage<Row>(
  host: ListHost<Row>,
  quietly: boolean,
  fetch: () => Promise<Record<string, unknown>>,
): Promise<void> {
  const generation = generationOf(host) + 1
  generations.set(host, generation)
  if (!quietly) host.setData({ phase: 'loading', message: '' })
  try {
    const data = await fetch()
    if (generation !== generationOf(host)) return
    host.setData(data)
  } catch (err) {
    if (generation !== generationOf(host)) return
    const message = toServiceError(err).message
    if (quietly && host.data.phase === 'ready') wx.showToast({ title: message, icon: 'none' })
    else host.setData({ phase: 'error', message })
  }
}

/** Appends the page after the cursor, unless there is none or one is already on its way. */
export async function loadMorePage<Item, Row>(
  host: ListHost<Row>,
  fetch: (cursor: string) => Promise<Page<Item>>,
  toRow: (item: Item) => Row,
): Promise<void> {
  if (!canLoadMore(host.data)) return
  const cursor = host.data.nextCursor
  const generation = generationOf(host)
  host.setData({ loadingMore: true, moreError: '' })
  try {
    const page = await fetch(cursor)
    if (generation !== generationOf(host)) return
    host.setData(morePageData(host.data.items, page, toRow))
  } catch (err) {
    if (generation !== generationOf(host)) return
    host.setData({ loadingMore: false, moreError: toServiceError(err).message })
  }
}

/** Pull-to-refresh: a quiet reload, and the refresh indicator stopped however it ends. */
export async function refreshOnPullDown(load: (quietly: boolean) => Promise<void>): Promise<void> {
  try {
    await load(true)
  } finally {
    wx.stopPullDownRefresh()
  }
}
