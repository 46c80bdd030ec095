// Canvas 2D on a page (`<canvas type="2d" id="…">`): finding the node once, and saving what was
// drawn to the album with the permission-denied path handled (the settings page, never a dead end).

type Queryable = { createSelectorQuery(): WechatMiniprogram.SelectorQuery }

const nodes = new WeakMap<object, Map<string, unknown>>()

/** The canvas node behind `selector` on `page` (asked once, then remembered). */
export function canvasNode<T>(page: Queryable, selector: string): Promise<T> {
  const known = nodes.get(page)?.get(selector)
  if (known) return Promise.resolve(known as T)
  return new Promise((resolve, reject) => {
    page
      .createSelectorQuery()
      .select(selector)
      .fields({ node: true, size: true })
      .exec((res: Array<{ node?: T } | null>) => {
        const node = res[0]?.node
        if (!node) return reject(new Error('canvas not ready'))
        const cache = nodes.get(page) ?? new Map<string, unknown>()
        cache.set(selector, node)
        nodes.set(page, cache)
        resolve(node)
      })
  })
}

/** What the album flow says, in the page's words. */
export interface AlbumText {
  saved: string
  saveFailed: string
  deniedTitle: string
  deniedContent: string
  openSetting: string
}

/**
 * The canvas as an image in the album. A refused album permission explains itself and offers the
 * settings page; a cancel says nothing; anything else says it failed.
 */
export async function saveCanvasToAlbum(canvas: unknown, text: AlbumText): Promise<void> {
  try {
    const { tempFilePath } = await wx.canvasToTempFilePath({ canvas: canvas as never })
    await wx.saveImageToPhotosAlbum({ filePath: tempFilePath })
    wx.showToast({ title: text.saved, icon: 'success' })
  } catch (err) {
    const errMsg = (err as { errMsg?: string }).errMsg ?? ''
    if (/auth|deny|denied/i.test(errMsg)) {
      const { confirm } = await wx.showModal({
        title: text.deniedTitle,
        content: text.deniedContent,
        confirmText: text.openSetting,
      })
      if (confirm) wx.openSetting({})
    } else if (!/cancel/i.test(errMsg)) {
      wx.showToast({ title: text.saveFailed, icon: 'none' })
    }
  }
}
