// What WeChat draws over a page, drawn inside the phone frame: toast, loading, modal, action sheet,
// the picker sheet, prompts (scanCode), and the system sheets that stand in for what would leave
// the app (navigation, phone call, receipt confirmation, subscription, share). Plus the settings a
// person or a test chooses in the side panel: location, album permission.

export interface LocationSetting {
  allowed: boolean
  longitude: number
  latitude: number
}

export interface Settings {
  location: LocationSetting
  /** scope.writePhotosAlbum */
  album: boolean
  /** How the next subscription request is answered. */
  subscribe: 'accept' | 'reject'
}

const SETTINGS_KEY = 'wal-preview:settings'

function loadSettings(): Settings {
  const fallback: Settings = {
    // Near 广州天河 (the demo's stores are in 广州 and 深圳).
    location: { allowed: true, longitude: 113.3615, latitude: 23.1245 },
    album: true,
    subscribe: 'accept',
  }
  try {
    const stored = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<Settings>
    return { ...fallback, ...(stored ?? {}) }
  } catch {
    return fallback
  }
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

export interface ToastOptions {
  title: string
  icon?: 'success' | 'error' | 'loading' | 'none'
  duration?: number
  mask?: boolean
}

export interface ModalOptions {
  title?: string
  content?: string
  showCancel?: boolean
  cancelText?: string
  confirmText?: string
  editable?: boolean
  placeholderText?: string
}

export interface PickOptions {
  title: string
  /** The columns shown for the codes chosen so far (a change re-derives the later columns). */
  columns: (chosen: string[]) => Array<Array<{ label: string; code?: string }>>
  initial: string[]
}

type ShareSource = 'menu' | 'button'

class FrameUi {
  settings: Settings = loadSettings()
  /** The overlay inside the phone; set by the shell. */
  layer: HTMLElement = document.body
  /** Set by the router: the top page's onShareAppMessage. */
  share: (from: ShareSource) => Record<string, unknown> | null = () => null
  /** Everything drawn that a test may want to read after it is gone. */
  readonly log: Array<{ kind: string; text: string }> = []
  private toastNode: HTMLElement | null = null
  private toastTimer: ReturnType<typeof setTimeout> | undefined
  private loadingShown = false

  saveSettings(): void {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(this.settings))
  }

  private record(kind: string, text: string): void {
    this.log.push({ kind, text })
    if (this.log.length > 200) this.log.shift()
  }

  toast(o: ToastOptions, loading = false): void {
    this.hideToast()
    const node = el('div', `wal-toast${o.icon === 'none' && !loading ? ' wal-toast--text' : ''}`)
    node.setAttribute('role', 'status')
    if (o.mask) node.classList.add('wal-toast--mask')
    const box = el('div', 'wal-toast__box')
    if (loading || o.icon === 'loading') box.appendChild(el('span', 'wal-spinner'))
    else if (o.icon !== 'none') {
      box.appendChild(el('span', 'wal-toast__icon', o.icon === 'error' ? '✕' : '✓'))
    }
    box.appendChild(el('span', 'wal-toast__title', o.title))
    node.appendChild(box)
    this.layer.appendChild(node)
    this.toastNode = node
    this.loadingShown = loading
    this.record(loading ? 'loading' : 'toast', o.title)
    if (!loading) this.toastTimer = setTimeout(() => this.hideToast(), o.duration ?? 1500)
  }

  hideToast(): void {
    clearTimeout(this.toastTimer)
    this.toastNode?.remove()
    this.toastNode = null
    this.loadingShown = false
  }

  hideLoading(): void {
    if (this.loadingShown) this.hideToast()
  }

  /** A dialog with buttons; resolves with the index of the button pressed. */
  private dialog(
    build: (box: HTMLElement) => void,
    buttons: string[],
    kind: string,
  ): Promise<number> {
    return new Promise((resolve) => {
      const mask = el('div', `wal-mask wal-${kind}`)
      const box = el('div', 'wal-dialog')
      box.setAttribute('role', 'dialog')
      build(box)
      const row = el('div', 'wal-dialog__buttons')
      buttons.forEach((label, i) => {
        const b = el(
          'button',
          `wal-dialog__button${i === buttons.length - 1 ? ' wal-primary' : ''}`,
          label,
        )
        b.type = 'button'
        b.addEventListener('click', () => {
          mask.remove()
          resolve(i)
        })
        row.appendChild(b)
      })
      box.appendChild(row)
      mask.appendChild(box)
      this.layer.appendChild(mask)
    })
  }

  async modal(o: ModalOptions): Promise<{ confirm: boolean; cancel: boolean; content?: string }> {
    let input: HTMLInputElement | null = null
    this.record('modal', `${o.title ?? ''} ${o.content ?? ''}`.trim())
    const buttons =
      o.showCancel === false
        ? [o.confirmText ?? '确定']
        : [o.cancelText ?? '取消', o.confirmText ?? '确定']
    const pressed = await this.dialog(
      (box) => {
        if (o.title) box.appendChild(el('div', 'wal-dialog__title', o.title))
        if (o.editable) {
          input = el('input', 'wal-dialog__input')
          input.placeholder = o.placeholderText ?? ''
          input.value = o.content ?? ''
          box.appendChild(input)
        } else if (o.content) box.appendChild(el('div', 'wal-dialog__content', o.content))
      },
      buttons,
      'modal',
    )
    const confirm = pressed === buttons.length - 1
    const typed = input as HTMLInputElement | null
    return { confirm, cancel: !confirm, ...(o.editable ? { content: typed?.value ?? '' } : {}) }
  }

  /** A sheet of choices from the bottom; null when cancelled. */
  actionSheet(items: string[], title?: string): Promise<number | null> {
    this.record('actionSheet', items.join(' / '))
    return new Promise((resolve) => {
      const mask = el('div', 'wal-mask wal-sheet-mask')
      const sheet = el('div', 'wal-sheet')
      sheet.setAttribute('role', 'dialog')
      if (title) sheet.appendChild(el('div', 'wal-sheet__title', title))
      const close = (value: number | null) => {
        mask.remove()
        resolve(value)
      }
      items.forEach((item, i) => {
        const b = el('button', 'wal-sheet__item', item)
        b.type = 'button'
        b.addEventListener('click', () => close(i))
        sheet.appendChild(b)
      })
      const cancel = el('button', 'wal-sheet__item wal-sheet__cancel', '取消')
      cancel.type = 'button'
      cancel.addEventListener('click', () => close(null))
      sheet.appendChild(cancel)
      mask.addEventListener('click', (e) => {
        if (e.target === mask) close(null)
      })
      mask.appendChild(sheet)
      this.layer.appendChild(mask)
    })
  }

  /** A bottom sheet of columns (native picker); resolves with the chosen codes, or null. */
  pickColumns(o: PickOptions): Promise<string[] | null> {
    this.record('picker', o.title)
    return new Promise((resolve) => {
      let chosen = [...o.initial]
      const mask = el('div', 'wal-mask wal-sheet-mask')
      const sheet = el('div', 'wal-sheet wal-picker')
      sheet.setAttribute('role', 'dialog')
      const bar = el('div', 'wal-picker__bar')
      const cancel = el('button', 'wal-picker__cancel', '取消')
      const ok = el('button', 'wal-picker__ok', '确定')
      cancel.type = ok.type = 'button'
      bar.append(cancel, el('span', 'wal-picker__title', o.title), ok)
      const cols = el('div', 'wal-picker__columns')
      const render = () => {
        const columns = o.columns(chosen)
        chosen = columns.map((col, i) =>
          col.some((c) => c.code === chosen[i]) ? chosen[i]! : (col[0]?.code ?? ''),
        )
        cols.replaceChildren()
        columns.forEach((col, i) => {
          const select = el('select', 'wal-picker__column')
          select.size = 7
          select.setAttribute('aria-label', `${o.title} 第 ${i + 1} 列`)
          for (const c of col) {
            const option = el('option', '', c.label)
            option.value = c.code ?? ''
            select.appendChild(option)
          }
          select.value = chosen[i] ?? ''
          select.addEventListener('change', () => {
            chosen = [...chosen.slice(0, i), select.value]
            render()
          })
          cols.appendChild(select)
        })
      }
      render()
      const close = (value: string[] | null) => {
        mask.remove()
        resolve(value)
      }
      cancel.addEventListener('click', () => close(null))
      ok.addEventListener('click', () => close(chosen))
      sheet.append(bar, cols)
      mask.appendChild(sheet)
      this.layer.appendChild(mask)
    })
  }

  /** A small dialog with one field; null when cancelled. */
  async prompt(o: {
    title: string
    hint?: string
    value?: string
    inputType?: string
    confirmText?: string
  }): Promise<string | null> {
    let input!: HTMLInputElement
    this.record('prompt', o.title)
    const pressed = await this.dialog(
      (box) => {
        box.appendChild(el('div', 'wal-dialog__title', o.title))
        if (o.hint) box.appendChild(el('div', 'wal-dialog__content', o.hint))
        input = el('input', 'wal-dialog__input')
        input.type = o.inputType ?? 'text'
        input.value = o.value ?? ''
        input.setAttribute('aria-label', o.title)
        box.appendChild(input)
        setTimeout(() => input.focus(), 0)
      },
      ['取消', o.confirmText ?? '确定'],
      'prompt',
    )
    return pressed === 1 ? input.value : null
  }

  /** A system sheet standing in for something that leaves the app; true when confirmed. */
  async system(
    title: string,
    lines: string[],
    confirmText: string,
    cancelText = '取消',
  ): Promise<boolean> {
    this.record('system', [title, ...lines].join(' '))
    const pressed = await this.dialog(
      (box) => {
        box.classList.add('wal-system')
        box.appendChild(el('div', 'wal-dialog__title', title))
        for (const line of lines) box.appendChild(el('div', 'wal-dialog__content', line))
      },
      cancelText ? [cancelText, confirmText] : [confirmText],
      'system',
    )
    return cancelText ? pressed === 1 : true
  }

  /** 转发: what the page's onShareAppMessage returns, shown as the card a friend would get. */
  shareFrom(from: ShareSource): void {
    const card = this.share(from)
    if (!card) {
      void this.system('转发', ['这个页面没有定义 onShareAppMessage，不能转发。'], '知道了', '')
      return
    }
    const lines = [`标题：${String(card.title ?? '')}`, `打开：${String(card.path ?? '')}`]
    void this.system('转发给朋友（预览）', lines, '完成', '')
  }
}

export const ui = new FrameUi()
