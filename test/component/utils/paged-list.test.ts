// A list a page at a time: the data each page sets, when there is more to ask for, and pages of
// an older list dropped after a refresh.
import {
  canLoadMore,
  firstPageData,
  loadFirstPage,
  loadMorePage,
  type ListHost,
  type PagedListData,
} from '../../../miniprogram/utils/paged-list'

class Host implements ListHost<string> {
  data: PagedListData<string> = {
    phase: 'loading',
    message: '',
    items: [],
    nextCursor: null,
    loadingMore: false,
    moreError: '',
  }

  setData(data: Record<string, unknown>): void {
    this.data = { ...this.data, ...data }
  }
}

const upper = (s: string) => s.toUpperCase()

// Outside a rendered page there is no `wx`; the failed refresh's toast is all these tests need.
const showToast = jest.fn()
beforeAll(() => Object.assign(globalThis, { wx: { showToast } }))
afterAll(() => Reflect.deleteProperty(globalThis, 'wx'))

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

test('the first page replaces the list and clears a failed "more"', () => {
  expect(firstPageData({ items: ['a', 'b'], nextCursor: '2' }, upper)).toEqual({
    phase: 'ready',
    items: ['A', 'B'],
    nextCursor: '2',
    loadingMore: false,
    moreError: '',
  })
})

test('more is asked for only when ready, with a cursor, and nothing on its way', () => {
  const host = new Host()
  expect(canLoadMore(host.data)).toBe(false)
  host.setData({ phase: 'ready', nextCursor: 'c' })
  expect(canLoadMore(host.data)).toBe(true)
  host.setData({ loadingMore: true })
  expect(canLoadMore(host.data)).toBe(false)
  host.setData({ loadingMore: false, nextCursor: null })
  expect(canLoadMore(host.data)).toBe(false)
})

test('a further page is appended after the rows shown', async () => {
  const host = new Host()
  await loadFirstPage(host, false, async () =>
    firstPageData({ items: ['a'], nextCursor: '1' }, upper),
  )
  const fetch = jest.fn(async () => ({ items: ['b'], nextCursor: null }))
  await loadMorePage(host, fetch, upper)
  expect(fetch).toHaveBeenCalledWith('1')
  expect(host.data).toMatchObject({ items: ['A', 'B'], nextCursor: null, loadingMore: false })
})

test('a page of the list a refresh replaced is dropped', async () => {
  const host = new Host()
  await loadFirstPage(host, false, async () =>
    firstPageData({ items: ['a'], nextCursor: '1' }, upper),
  )
  const late = deferred<{ items: string[]; nextCursor: string | null }>()
  const more = loadMorePage(host, () => late.promise, upper)
  await loadFirstPage(host, true, async () =>
    firstPageData({ items: ['x'], nextCursor: '9' }, upper),
  )
  late.resolve({ items: ['b'], nextCursor: '2' })
  await more
  expect(host.data).toMatchObject({ items: ['X'], nextCursor: '9', loadingMore: false })
})

test('an older first page arriving after a newer one is dropped', async () => {
  const host = new Host()
  const first = deferred<Record<string, unknown>>()
  const older = loadFirstPage(host, false, () => first.promise)
  await loadFirstPage(host, false, async () =>
    firstPageData({ items: ['new'], nextCursor: null }, upper),
  )
  first.resolve(firstPageData({ items: ['old'], nextCursor: null }, upper))
  await older
  expect(host.data.items).toEqual(['NEW'])
})

test('a failed load shows the error; a failed quiet refresh keeps the list', async () => {
  const host = new Host()
  const fail = () => Promise.reject(new Error('offline'))
  await loadFirstPage(host, false, fail)
  expect(host.data.phase).toBe('error')
  expect(host.data.message).not.toBe('')

  await loadFirstPage(host, false, async () =>
    firstPageData({ items: ['a'], nextCursor: null }, upper),
  )
  await loadFirstPage(host, true, fail)
  expect(host.data).toMatchObject({ phase: 'ready', items: ['A'] })
  expect(showToast).toHaveBeenCalledTimes(1)
})
