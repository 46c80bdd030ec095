// The "host component" pattern (weui-miniprogram): a tiny test-only component that uses the
// question component as a page does, passing answers in and collecting the `answer` events.
import simulate from 'miniprogram-simulate'
import type { AnswerValue, Question } from 'wal-core'
import { loadPage, type RenderedPage } from './render'

export interface Answered {
  key: string
  value: AnswerValue | null
}

export interface Hosted {
  host: RenderedPage
  /** The question component instance. */
  question: NonNullable<ReturnType<RenderedPage['querySelector']>>
  /** Every `answer` event, in order. */
  answers: Answered[]
}

let hostId: string | undefined
// Where the host reports events: the answers list of the question rendered last.
let sink: Answered[] = []

function hostComponent(): string {
  if (hostId) return hostId
  const questionId = loadPage('components/question/index', 'question')
  const id = simulate.load({
    template:
      '<question id="q" question="{{question}}" value="{{value}}" other="{{other}}" error="{{error}}" number="{{number}}" bind:answer="onAnswer" />',
    usingComponents: { question: questionId },
    data: { question: {}, value: null, other: '', error: '', number: 1 },
    methods: {
      // Like the page: keep what was answered and pass it back in.
      onAnswer(this: WechatMiniprogram.Component.TrivialInstance, e: { detail: Answered }) {
        sink.push(e.detail)
        if (e.detail.key.endsWith('__other')) this.setData({ other: e.detail.value ?? '' })
        else this.setData({ value: e.detail.value })
      },
    },
  } as unknown as string) as unknown as string
  hostId = id
  return id
}

/** Render `question` with an answer (null for none). */
export function host(
  question: Question,
  props: { value?: AnswerValue | null; other?: string; error?: string; number?: number } = {},
): Hosted {
  const answers: Answered[] = []
  sink = answers
  const rendered = simulate.render(hostComponent())
  rendered.attach(document.createElement('parent-wrapper'))
  rendered.setData({ question, value: null, other: '', error: '', number: 1, ...props })
  return { host: rendered, question: rendered.querySelector('#q')!, answers }
}
