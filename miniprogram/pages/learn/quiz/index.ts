// A quiz (测验) and its result: one question after another with tappable options (单选 or 多选),
// 提交答案 once all are answered; the result shows the score, every question's right answer and
// explanation, and the points — granted now, already granted before (once per person per quiz),
// or none. A lost reply is re-sent with the same requestId (重试), so points never go twice.
import { getQuiz, submitQuiz, type QuizView } from '../../../services/content'
import { toServiceError } from '../../../services/service-error'
import { goBack, routes } from '../../../utils/routes'
import { passLine, pointsLine, quizMeta, scoreLine, text } from '../strings'
import { questionsOf, resultRows, unanswered, type QuestionView, type ResultRow } from '../view'
import { openItem, loading, loadFailed } from '../item-page'

type Phase = 'loading' | 'error' | 'answering' | 'sending' | 'result'
/** Codes after which the same intent is re-sent by 重试 (the first send may have committed). */
const RESEND = ['NETWORK', 'TIMEOUT', 'INTERNAL', 'CONFLICT', 'BAD_REPLY']

const intents = new WeakMap<object, ReturnType<typeof submitQuiz>>()

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    message: '',
    id: '',
    quiz: null as QuizView | null,
    meta: '',
    questions: [] as QuestionView[],
    answers: {} as Record<string, string[]>,
    /** `<questionId>-<optionId>` → chosen, for the template. */
    picked: {} as Record<string, boolean>,
    formError: '',
    score: 0,
    scoreText: '',
    passed: false,
    pointsText: '',
    rows: [] as ResultRow[],
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      return openItem(this, query)
    },

    async load(): Promise<void> {
      this.setData(loading())
      try {
        const { quiz } = await getQuiz(this.data.id)
        wx.setNavigationBarTitle({ title: quiz.title })
        this.setData({
          phase: 'answering',
          quiz,
          meta: `${quizMeta(quiz.questions.length, quiz.rewardPoints)} · ${passLine(quiz.passScore)}`,
          questions: questionsOf(quiz),
          answers: {},
          picked: {},
          formError: '',
        })
      } catch (err) {
        this.setData(loadFailed(err))
      }
    },

    onRetry() {
      return this.load()
    },

    onBack() {
      goBack(routes.learn)
    },

    onOption(e: WechatMiniprogram.BaseEvent) {
      if (this.data.phase !== 'answering') return
      const { question, option } = e.currentTarget.dataset as { question: string; option: string }
      const q = this.data.questions.find((x) => x.id === question)
      if (!q) return
      const before = this.data.answers[question] ?? []
      const chosen = q.multiple
        ? before.includes(option)
          ? before.filter((o) => o !== option)
          : [...before, option]
        : [option]
      const answers = { ...this.data.answers, [question]: chosen }
      const picked = { ...this.data.picked }
      for (const o of q.options) picked[`${question}-${o.id}`] = chosen.includes(o.id)
      // Answers changed: a pending intent no longer says what the person means.
      intents.delete(this)
      this.setData({ answers, picked, formError: '' })
    },

    onSubmit() {
      const quiz = this.data.quiz
      if (!quiz || this.data.phase !== 'answering') return undefined
      const missing = unanswered(quiz, this.data.answers)
      if (missing.length > 0) {
        this.setData({ formError: `${text.incomplete}：第 ${missing.join('、')} 题` })
        return undefined
      }
      let intent = intents.get(this)
      if (!intent) {
        intent = submitQuiz(quiz.id, this.data.answers)
        intents.set(this, intent)
      }
      return this.send(intent)
    },

    async send(intent: ReturnType<typeof submitQuiz>): Promise<void> {
      this.setData({ phase: 'sending', formError: '' })
      try {
        const result = await intent.run()
        intents.delete(this)
        this.setData({
          phase: 'result',
          score: result.score,
          scoreText: scoreLine(result.correct, result.total, result.score),
          passed: result.passed,
          pointsText: pointsLine(
            result.points.granted,
            result.points.alreadyGranted,
            result.points.rewardPoints,
          ),
          rows: resultRows(result),
        })
        wx.pageScrollTo({ scrollTop: 0, duration: 0 })
      } catch (err) {
        const e = toServiceError(err)
        if (!RESEND.includes(e.code)) intents.delete(this)
        this.setData({ phase: 'answering', formError: e.message })
      }
    },

    /** 再做一次: a fresh attempt (a new intent; the points, if given, are not given again). */
    onAgain() {
      intents.delete(this)
      this.setData({ phase: 'answering', answers: {}, picked: {}, formError: '', rows: [] })
      wx.pageScrollTo({ scrollTop: 0, duration: 0 })
    },

    onLearnHome() {
      goBack(routes.learn)
    },

    onShareAppMessage() {
      return { title: this.data.quiz?.title ?? text.title, path: routes.learnQuiz(this.data.id) }
    },
  },
})
