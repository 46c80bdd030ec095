// A friendly empty state: one of the four mascots (安全满意网络四宝), a title, a line on what
// would fill the page, and a way on — the `action` button (its tap is the `action` event) and/or
// the page's own buttons in the slot. Replaces TDesign's t-result, whose blue "!" reads as an error.
import { mascotSrc, type Mascot } from '../../utils/mascots'

Component({
  properties: {
    /** Which mascot: an (安安, default), quan (全全), man (满满), yi (意意). */
    mascot: { type: String, value: 'an' },
    title: { type: String, value: '' },
    description: { type: String, value: '' },
    /** The label of the main way on; empty for none (the page puts its own in the slot). */
    action: { type: String, value: '' },
  },

  data: { src: mascotSrc('an') },

  observers: {
    mascot(this: WechatMiniprogram.Component.TrivialInstance, mascot: string) {
      this.setData({ src: mascotSrc(mascot as Mascot) })
    },
  },

  methods: {
    onAction() {
      this.triggerEvent('action')
    },
  },
})
