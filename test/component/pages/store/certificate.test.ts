// 志愿者证书 / 证书查验: the certificate drawn from its verified record, the facts listed, saving
// to the album, and an unknown number refused with a way back.
import { certificateSteps } from '../../../../miniprogram/pages/store/certificate/layout'
import { textOf, until } from '../../support/render'
import { usePage, useStorage, useStoreBackend } from '../../support/page-suite'

const { open, render } = usePage('pages/store/certificate/index')
useStoreBackend()
useStorage()

const cert = {
  number: 'WAL2025-0123456789',
  holder: '李晓明',
  nodeName: '天河一队（高校）',
  validSamples: 12,
  issuedAt: '2025-03-01T02:00:00.000Z',
}

test('the layout prints the holder, the node, the samples, the date and the number', () => {
  const texts = certificateSteps(cert).flatMap((s) => (s.kind === 'text' ? [s.text] : []))
  expect(texts).toEqual(
    expect.arrayContaining([
      '李晓明 同志：',
      expect.stringContaining('天河一队（高校）志愿者'),
      expect.stringContaining('有效样本 12 份'),
      '2025年3月1日',
      expect.stringContaining('WAL2025-0123456789'),
    ]),
  )
})

test('a genuine number is drawn and listed, and saved to the album', async () => {
  const drawn: string[] = []
  const ctx = new Proxy({} as Record<string, unknown>, {
    get: (t, k: string) =>
      k in t ? t[k] : (...a: unknown[]) => drawn.push(`${k}:${String(a[0])}`),
    set: (t, k: string, v) => ((t[k] = v), true),
  })
  const canvas = { width: 0, height: 0, getContext: () => ctx }
  const page = render()
  jest.spyOn(page.instance, 'createSelectorQuery').mockReturnValue({
    select: () => ({
      fields: () => ({ exec: (cb: (r: unknown[]) => void) => cb([{ node: canvas }]) }),
    }),
  } as never)
  await page.instance.onLoad({ no: 'wal2025-0123456789' })
  await until(page, (d) => d.phase === 'ready')
  expect(textOf(page, '#verified')).toContain('证书真实有效')
  expect(textOf(page, '#verified')).toContain('李晓明')
  expect(drawn).toContain('fillText:李晓明 同志：')

  jest.spyOn(wx, 'canvasToTempFilePath').mockResolvedValue({ tempFilePath: 'tmp/c.png' } as never)
  const saved = jest
    .spyOn(wx, 'saveImageToPhotosAlbum')
    .mockResolvedValue({ errMsg: 'ok' } as never)
  jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  await page.instance.onSave()
  expect(saved).toHaveBeenCalledWith({ filePath: 'tmp/c.png' })
})

test('an unknown number: refused with a way back', async () => {
  const page = await open({ no: 'WAL2025-FFFFFFFFFF' })
  expect(textOf(page, '#error')).toContain('没有这个编号的证书')
})
