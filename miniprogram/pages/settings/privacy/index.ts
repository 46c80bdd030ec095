// 我的数据与隐私: everything the survey holds about the caller (responses with the date they lose
// their link to them, the points account, memberships, reservations, the masked real name, the
// purposes the privacy notice names), and 删除我的个人信息 — a confirmation saying what goes at
// once and what stays and why, one deletion whose lost reply is re-sent with the same requestId
// (重试), then the server's own account of what was removed and what was kept.
import { deleteMyData, getMyData, type DeleteReply } from '../../../services/privacy'
import { isTransient, toServiceError } from '../../../services/service-error'
import { goHome } from '../../../utils/routes'
import { text } from './strings'
import { toPrivacyView, type PrivacyView } from './view'

type Phase = 'loading' | 'ready' | 'error' | 'deleting' | 'deleted'

/** The deletion sent and not yet answered: 重试 re-sends it as is. */
const intents = new WeakMap<object, ReturnType<typeof deleteMyData>>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    view: null as PrivacyView | null,
    dialogVisible: false,
    formError: '',
    result: null as DeleteReply | null,
  },

  methods: {
    onLoad() {
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '', formError: '' })
      try {
        const view = toPrivacyView(await getMyData())
        this.setData({ phase: 'ready', view })
      } catch (err) {
        this.setData({ phase: 'error', message: toServiceError(err).message })
      }
    },

    onRetry() {
      return this.load()
    },

    onHome() {
      goHome()
    },

    /** 删除: the confirmation; after a lost reply, 重试 re-sends the same deletion instead. */
    onDelete() {
      if (this.data.phase !== 'ready') return undefined
      const pending = intents.get(this)
      if (pending) return this.send(pending)
      this.setData({ dialogVisible: true })
      return undefined
    },

    onDialogCancel() {
      this.setData({ dialogVisible: false })
    },

    onDialogConfirm(): Promise<void> {
      this.setData({ dialogVisible: false })
      let intent = intents.get(this)
      if (!intent) {
        intent = deleteMyData()
        intents.set(this, intent)
      }
      return this.send(intent)
    },

    async send(intent: ReturnType<typeof deleteMyData>): Promise<void> {
      this.setData({ phase: 'deleting', formError: '' })
      try {
        const result = await intent.run()
        intents.delete(this)
        this.setData({ phase: 'deleted', result })
      } catch (err) {
        const e = toServiceError(err)
        // A refusal is final for this intent: the next tap asks again with a new request.
        if (!isTransient(e)) intents.delete(this)
        this.setData({ phase: 'ready', formError: e.message })
      }
    },

    /** After the deletion: what is held now (the page as it first opens). */
    onViewAgain() {
      this.setData({ result: null })
      return this.load()
    },
  },
})
