// 分享海报: the layout carries the slogan, mascot line, name, station and code; the page draws it
// on Canvas 2D; saving goes to the album, and a refused permission leads to the settings.
import { posterSteps } from '../../../../miniprogram/pages/volunteer/poster/layout'
import { textOf, until } from '../../support/render'
import { usePage, useStorage, useVolunteerBackend } from '../../support/page-suite'
import { aMembership } from '../../support/volunteer-backend'

const { open, render } = usePage('pages/volunteer/poster/index')
const backend = useVolunteerBackend()
useStorage()

/** A Canvas 2D stand-in that records what was drawn. */
function fakeCanvas() {
  const drawn: string[] = []
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (target, key: string) =>
      key in target ? target[key] : (...args: unknown[]) => drawn.push(`${key}:${String(args[0])}`),
    set: (target, key: string, value) => ((target[key] = value), true),
  })
  const canvas = {
    width: 0,
    height: 0,
    getContext: () => ctx,
    createImage: () => {
      const image = { src: '', onload: null as null | (() => void), onerror: null }
      return new Proxy(image, {
        set: (t, k: string, v) => {
          ;(t as Record<string, unknown>)[k] = v
          if (k === 'src') setTimeout(() => t.onload?.(), 0)
          return true
        },
      })
    },
  }
  return { canvas, drawn }
}

function installCanvas(
  page: { instance: { createSelectorQuery: () => unknown } },
  canvas: unknown,
) {
  jest.spyOn(page.instance, 'createSelectorQuery').mockReturnValue({
    select: () => ({
      fields: () => ({ exec: (cb: (r: unknown[]) => void) => cb([{ node: canvas }]) }),
    }),
  } as never)
}

test('the layout carries the slogan, the mascot line, the volunteer, the station and the code', () => {
  const steps = posterSteps({
    campaignName: '2024年网民网络安全感满意度调查',
    slogan: '安安全全共净网 满满意意享生活',
    displayName: '小李',
    pathText: '天河区网络安全志愿服务站 · 天河一队（高校）',
    code: 'K7M3PQ2',
    imageUrl: 'http://x/q.png',
  })
  const texts = steps.flatMap((s) => (s.kind === 'text' ? [s.text] : []))
  expect(texts).toEqual(
    expect.arrayContaining([
      '「安安全全共净网 满满意意享生活」',
      '安全满意网络四宝邀您一起答题',
      '小李 邀请您参加',
      '分享码 K7M3PQ2',
    ]),
  )
  expect(steps.find((s) => s.kind === 'image')).toMatchObject({ src: 'http://x/q.png' })
})

test('the page draws the poster and saves it; a refused album permission leads to the settings', async () => {
  backend().me.memberships = [aMembership()]
  const { canvas, drawn } = fakeCanvas()
  const page = render()
  installCanvas(page, canvas)
  await page.instance.onLoad({ node: 'gz-tianhe-t1' })
  await until(page, (d) => d.phase === 'ready')
  expect(drawn).toEqual(
    expect.arrayContaining(['fillText:分享码 K7M3PQ2', 'drawImage:[object Object]']),
  )
  expect(canvas.width).toBeGreaterThan(0)

  jest
    .spyOn(wx, 'canvasToTempFilePath')
    .mockResolvedValue({ tempFilePath: 'tmp/poster.png' } as never)
  const save = jest
    .spyOn(wx, 'saveImageToPhotosAlbum')
    .mockRejectedValueOnce({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' })
  jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true, cancel: false } as never)
  const settings = jest.spyOn(wx, 'openSetting').mockImplementation(() => undefined as never)
  await page.instance.onSave()
  expect(save).toHaveBeenCalledWith({ filePath: 'tmp/poster.png' })
  expect(settings).toHaveBeenCalled()

  save.mockResolvedValueOnce({ errMsg: 'ok' } as never)
  const toast = jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  await page.instance.onSave()
  expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存到相册' }))
  expect(page.instance.onShareAppMessage().path).toBe('/pages/home/index?scene=c%3DK7M3PQ2')
})

test('without a code under that node the poster says so', async () => {
  backend().me.memberships = [aMembership({ code: null })]
  const page = await open({ node: 'gz-tianhe-t1' })
  expect(textOf(page, '#error')).toContain('该组织下还没有您的分享码')
})
