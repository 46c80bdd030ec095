// Reading pages: an article (built rich-text nodes, an image that fails shows its description),
// the video (poster and text version when it has no source or cannot play), the comic (text
// panels when an image fails), the handbook (chapters, 上一章/下一章, reopened where left).
import { textOf, until } from '../../support/render'
import { nextNavigation } from '../../support/navigation'
import { useContentBackend, usePage, useStorage } from '../../support/page-suite'

const backend = useContentBackend()
const storage = useStorage()

describe('article', () => {
  const { open } = usePage('pages/learn/article/index')

  test('renders blocks as rich-text nodes with bold spans, and marks the article 在读 then 已读', async () => {
    const page = await open({ id: 'fake-customer-service' })
    expect(textOf(page, '#title')).toBe('“客服”来电说要退款？先挂电话')
    const kinds = page.data.blocks.map((b: { kind: string }) => b.kind)
    expect(kinds).toContain('image')
    const lists = page.data.blocks.filter(
      (b: { nodes?: Array<{ name?: string }> }) => b.nodes?.[0]?.name === 'ul',
    )
    expect(JSON.stringify(lists)).toContain(
      '{"name":"strong","children":[{"type":"text","text":"不"}]}',
    )
    expect(JSON.stringify(page.data.blocks)).not.toContain('<')
    expect(storage().map.get('wal.learn.progress')).toMatchObject({
      'fake-customer-service': { state: 'reading' },
    })
    page.instance.onReachBottom()
    expect(storage().map.get('wal.learn.progress')).toMatchObject({
      'fake-customer-service': { state: 'done' },
    })
  })

  test('an image that cannot load shows its description', async () => {
    const page = await open({ id: 'fake-customer-service' })
    const image = page.data.blocks.find((b: { kind: string }) => b.kind === 'image')
    page.querySelector(`#${image.key}`)!.dispatchEvent('error')
    await until(page, (d) => d.failed[image.key] === true)
    expect(textOf(page, `#${image.key}-alt`)).toBe('退款诈骗识别清单')
  })

  test('no id or an unknown one: the error with a way back', async () => {
    expect((await open({})).data.message).toBe('没有指定内容，请从学习首页进入')
    const page = await open({ id: 'no-such-item' })
    expect(page.data.message).toBe('这篇内容不存在或已下架')
    expect(page.querySelector('#back')).toBeDefined()
  })
})

describe('video', () => {
  const { open } = usePage('pages/learn/video/index')

  test('without a source: the poster, the title, a notice and the text version', async () => {
    const page = await open({ id: 'video-phone-fraud' })
    expect(page.querySelector('#player')).toBeUndefined()
    expect(page.querySelector('#poster')).toBeDefined()
    expect(textOf(page, '#notice')).toBe('视频即将上线，先看下面的文字版')
    expect(textOf(page, '#title')).toBe('三分钟看懂“冒充公检法”诈骗')
    expect(page.data.duration).toBe('3 分 00 秒')
    expect(page.data.blocks.length).toBeGreaterThan(0)
  })

  test('a source that cannot play falls back to the poster and says why', async () => {
    backend().videoSrc = 'https://example.com/lesson.mp4'
    const page = await open({ id: 'video-phone-fraud' })
    expect(page.querySelector('#player')).toBeDefined()
    page.querySelector('#player')!.dispatchEvent('error')
    await until(page, (d) => !d.playable)
    expect(textOf(page, '#notice')).toBe('视频暂时无法播放，先看下面的文字版')
    expect(page.querySelector('#poster')).toBeDefined()
  })
})

describe('comic', () => {
  const { open } = usePage('pages/learn/comic/index')

  test('six panels with captions; a failed image becomes a numbered text panel', async () => {
    const page = await open({ id: 'comic-part-time' })
    expect(page.data.panels).toHaveLength(6)
    expect(textOf(page, '#panel-1')).toContain('小林刷手机时看到')
    page.querySelector('#panel-image-2')!.dispatchEvent('error')
    await until(page, (d) => d.failed.p2 === true)
    expect(textOf(page, '#fallback-2')).toBe('2 / 6')
  })
})

describe('handbook', () => {
  const { open } = usePage('pages/learn/handbook/index')

  test('chapter by chapter, remembered, and 已读 at the last chapter', async () => {
    jest.spyOn(wx, 'pageScrollTo').mockImplementation(() => undefined as never)
    const page = await open({ id: 'handbook' })
    expect(textOf(page, '#chapter-title')).toBe('第一章 防骗总原则')
    expect(textOf(page, '#chapter-line')).toContain('第 1 / 8 章')
    page.querySelector('#next')!.dispatchEvent('tap')
    await until(page, (d) => d.chapter === 1)
    expect(textOf(page, '#chapter-title')).toBe('第二章 冒充公检法')
    expect(storage().map.get('wal.learn.progress')).toMatchObject({
      handbook: { state: 'reading', chapter: 1 },
    })

    const again = await open({ id: 'handbook' })
    expect(again.data.chapter).toBe(1)
    again.querySelector('#toc-7')!.querySelector('.t-cell')!.dispatchEvent('tap')
    await until(again, (d) => d.chapter === 7)
    expect(storage().map.get('wal.learn.progress')).toMatchObject({ handbook: { state: 'done' } })
  })

  test('opened on its own, 返回 goes to the learn home', async () => {
    const went = nextNavigation('redirectTo')
    const page = await open({ id: 'handbook' })
    page.instance.onBack()
    await expect(went).resolves.toEqual({ url: '/pages/learn/index' })
  })
})
