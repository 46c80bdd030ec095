// Opening a redeemed report: its temporary URL downloaded, then shown by WeChat's document viewer.
// (Used by the item page and 我的兑换; it belongs with the phone's pieces in services/store.ts.)

/** Resolves once the viewer opened; rejects when the download or the viewer failed. */
export function openReport(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url,
      success: (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`report download: HTTP ${res.statusCode}`))
          return
        }
        wx.openDocument({
          filePath: res.tempFilePath,
          fileType: 'pdf',
          showMenu: true,
          success: () => resolve(),
          fail: (err) => reject(new Error(err.errMsg)),
        })
      },
      fail: (err) => reject(new Error(err.errMsg)),
    })
  })
}
