// 加入志愿服务: opened from an invite (a scanned mini-program code with scene `i=<code>`, or the
// code typed on 我的志愿服务). Shows the node and its chain, takes a display name and — only for
// a volunteer certificate, with its purpose said — a real name, and applies. A lost reply is
// re-sent with the same requestId (重试), so nobody applies twice.
import { ROLE_NAMES } from '../strings'
import { toServiceError } from '../../../services/service-error'
import {
  applyToJoin,
  getInviteInfo,
  inviteCodeFrom,
  type InviteInfo,
} from '../../../services/volunteer'
import { goHome, routes } from '../../../utils/routes'
import { pathText, text } from './strings'

type Phase = 'loading' | 'error' | 'closed' | 'already' | 'form' | 'sending' | 'done'

const pending = new WeakMap<object, { key: string; call: ReturnType<typeof applyToJoin> }>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    code: '',
    info: null as InviteInfo | null,
    nodeName: '',
    pathText: '',
    roleText: '',
    displayName: '',
    wantsCertificate: false,
    realName: '',
    nameError: '',
    realNameError: '',
    formError: '',
    doneTitle: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      const code = inviteCodeFrom(query)
      if (!code) {
        this.setData({ phase: 'error', message: text.noCode })
        return undefined
      }
      this.setData({ code })
      return this.load()
    },

    async load(): Promise<void> {
      this.setData({ phase: 'loading', message: '' })
      try {
        const info = await getInviteInfo(this.data.code)
        const shown = {
          info,
          nodeName: info.node.name,
          pathText: pathText(info.path),
          roleText: ROLE_NAMES[info.role],
        }
        if (info.myStatus === 'pending' || info.myStatus === 'active')
          this.setData({ ...shown, phase: 'already' })
        else if (info.state !== 'open')
          this.setData({ ...shown, phase: 'closed', message: info.message ?? '' })
        else this.setData({ ...shown, phase: 'form' })
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

    onToVolunteer() {
      wx.redirectTo({ url: routes.volunteer })
    },

    onNameInput(e: { detail: { value: string } }) {
      this.setData({ displayName: e.detail.value ?? '', nameError: '', formError: '' })
    },

    onRealNameInput(e: { detail: { value: string } }) {
      this.setData({ realName: e.detail.value ?? '', realNameError: '', formError: '' })
    },

    onCertificateChange(e: { detail: { checked: boolean } }) {
      this.setData({ wantsCertificate: e.detail.checked, realNameError: '' })
    },

    async onSubmit(): Promise<void> {
      if (this.data.phase !== 'form') return
      const displayName = this.data.displayName.trim()
      const realName = this.data.wantsCertificate ? this.data.realName.trim() : ''
      const nameError = displayName ? '' : text.nameRequired
      const realNameError = this.data.wantsCertificate && !realName ? text.realNameRequired : ''
      if (nameError || realNameError) {
        this.setData({ nameError, realNameError })
        return
      }
      // The same intent re-sends the same request; a changed form is a new one.
      const key = `${displayName}|${realName}`
      let intent = pending.get(this)
      if (!intent || intent.key !== key) {
        intent = {
          key,
          call: applyToJoin({
            code: this.data.code,
            displayName,
            ...(realName ? { realName } : {}),
          }),
        }
        pending.set(this, intent)
      }
      this.setData({ phase: 'sending', formError: '' })
      try {
        const reply = await intent.call.run()
        pending.delete(this)
        this.setData({
          phase: 'done',
          doneTitle: reply.status === 'active' ? text.doneActive : text.donePending,
          message: reply.message,
        })
      } catch (err) {
        const e = toServiceError(err)
        // A refused field comes back as zod issues ({ path, message }): each under its field.
        const issues = Array.isArray(e.details)
          ? (e.details as Array<{ path?: unknown[]; message?: string }>)
          : []
        const about = (field: string) => issues.find((i) => i.path?.[0] === field)?.message ?? ''
        const nameError = about('displayName')
        const realNameError = about('realName')
        this.setData({
          phase: 'form',
          nameError,
          realNameError,
          formError: nameError || realNameError ? '' : e.message,
        })
      }
    },
  },
})
