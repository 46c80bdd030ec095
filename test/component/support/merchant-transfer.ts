// WeChat's confirmation page for a merchant transfer (wx.requestMerchantTransfer), which
// miniprogram-simulate does not have: the test says how the next page ends (the user confirms,
// closes it, or it fails) and whether this WeChat is recent enough to have it at all.
import 'miniprogram-simulate'

type Option = WechatMiniprogram.RequestMerchantTransferOption

export class FakeMerchantTransfer {
  /** wx.canIUse('requestMerchantTransfer'): false for a WeChat older than base library 3.3.0. */
  supported = true
  /** How the next confirmation page ends. */
  next: 'confirm' | 'cancel' | { fail: string } = 'confirm'
  /** Called when the user confirms (the test tells the backend WeChat Pay paid). */
  onConfirm: (pkg: string) => void = () => {}
  readonly opened: Array<Pick<Option, 'mchId' | 'appId' | 'package'>> = []
  private readonly had = 'requestMerchantTransfer' in wx
  private canIUse: jest.SpyInstance | undefined

  install(): this {
    const open = (o: Option) => {
      this.opened.push({ mchId: o.mchId, appId: o.appId, package: o.package })
      const next = this.next
      // The page answers asynchronously, as WeChat does when the user leaves it.
      void Promise.resolve().then(() => {
        if (next === 'confirm') {
          this.onConfirm(o.package)
          o.success?.({ errMsg: 'requestMerchantTransfer:ok' } as never)
        } else if (next === 'cancel') {
          o.fail?.({ errMsg: 'requestMerchantTransfer:fail cancel' } as never)
        } else {
          o.fail?.({ errMsg: next.fail } as never)
        }
      })
    }
    Object.assign(wx, { requestMerchantTransfer: open })
    const canIUse = wx.canIUse.bind(wx)
    this.canIUse = jest
      .spyOn(wx, 'canIUse')
      .mockImplementation((name: string) =>
        name === 'requestMerchantTransfer' ? this.supported : canIUse(name),
      )
    return this
  }

  uninstall(): void {
    this.canIUse?.mockRestore()
    if (!this.had) delete (wx as Partial<WechatMiniprogram.Wx>).requestMerchantTransfer
  }
}
