// One question of any type (single, multiple, rating, matrix, text, region, number), with its
// "please specify" input, required marker and inline error. It holds no answer of its own: every
// change is reported as an `answer` event { key, value } (key is the question id, or
// `<id>__other` for the specify text) and the page passes the new value back in.
import { otherKey, type AnswerValue, type Question } from 'wal-core'
import { text } from './strings'
import { nextMultiple, numberAnswer, toQuestionView, type QuestionView } from './view'

type Detail<T> = { detail: T }
type Dataset<T> = { currentTarget: { dataset: T } }

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    question: { type: Object, value: {} },
    /** The current answer (null for none). */
    value: { type: null, value: null },
    /** The "please specify" text. */
    other: { type: String, value: '' },
    /** The message under the question ('' for none). */
    error: { type: String, value: '' },
    /** The number shown before the title (1-based among the questions shown). */
    number: { type: Number, value: 0 },
  },

  data: {
    text,
    view: toQuestionView(null, null) as QuestionView,
  },

  observers: {
    'question, value'(question: Question, value: AnswerValue | null) {
      this.setData({ view: toQuestionView(question?.id ? question : null, value) })
    },
  },

  methods: {
    asked(): Question {
      return this.data.question as unknown as Question
    },

    emit(key: string, value: AnswerValue | null) {
      this.triggerEvent('answer', { key, value })
    },

    onSingle(e: Detail<{ value: string | null }>) {
      this.emit(this.asked().id, e.detail.value ?? null)
    },

    onMultiple(e: Detail<{ value: string[] }>) {
      const q = this.asked()
      if (q.type !== 'multiple') return
      const next = nextMultiple(q, this.data.view.multiple, e.detail.value ?? [])
      this.emit(q.id, next.length > 0 ? next : null)
    },

    onRate(e: Dataset<{ point: number }>) {
      this.emit(this.asked().id, Number(e.currentTarget.dataset.point))
    },

    onMatrix(e: Dataset<{ row: string; point: number }>) {
      const { row, point } = e.currentTarget.dataset
      const current = this.data.value as unknown
      const chosen =
        typeof current === 'object' && current !== null && !Array.isArray(current)
          ? (current as Record<string, number>)
          : {}
      this.emit(this.asked().id, { ...chosen, [row]: Number(point) })
    },

    onText(e: Detail<{ value: string }>) {
      const value = e.detail.value ?? ''
      this.emit(this.asked().id, value === '' ? null : value)
    },

    onNumber(e: Detail<{ value: string }>) {
      this.emit(this.asked().id, numberAnswer(String(e.detail.value ?? '')))
    },

    /** The native region picker: `value` holds the names, `code` the 6-digit codes. */
    onRegion(e: Detail<{ value: string[]; code: string[] }>) {
      const [provinceName, cityName] = e.detail.value ?? []
      const [provinceCode, cityCode] = e.detail.code ?? []
      if (!provinceName || !cityName || !provinceCode || !cityCode) return
      this.emit(this.asked().id, { provinceCode, provinceName, cityCode, cityName })
    },

    onOther(e: Detail<{ value: string }>) {
      const value = e.detail.value ?? ''
      this.emit(otherKey(this.asked().id), value === '' ? null : value)
    },
  },
})
