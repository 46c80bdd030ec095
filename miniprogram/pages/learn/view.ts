// Pure mapping for the learning pages: blocks of the small safe markup → what the template shows
// (rich-text nodes built here, never parsed HTML; images as their own items so a failed one can
// fall back to its description), home cards with reading progress, quiz answers and results.
import type { Progress } from '../../utils/reading-progress'
import type { BlockView, ContentSummary, QuizResultView, QuizView } from '../../services/content'
import { readChapterLine, text } from './strings'

/** A node of the rich-text component (only text, strong, div, ul, li — built, never parsed). */
export type RichNode =
  { type: 'text'; text: string } | { name: string; attrs?: { class: string }; children: RichNode[] }

export type Shown =
  | { key: string; kind: 'text'; nodes: RichNode[] }
  | { key: string; kind: 'image'; src: string; alt: string }

/** `**bold**` spans of a line as text and strong nodes. */
export function inline(line: string): RichNode[] {
  const out: RichNode[] = []
  line.split(/(\*\*[^*]+\*\*)/).forEach((part) => {
    if (!part) return
    const bold = /^\*\*([^*]+)\*\*$/.exec(part)
    out.push(
      bold
        ? { name: 'strong', children: [{ type: 'text', text: bold[1]! }] }
        : { type: 'text', text: part },
    )
  })
  return out
}

function nodesOf(block: Exclude<BlockView, { type: 'image' }>): RichNode[] {
  switch (block.type) {
    case 'h':
      return [
        { name: 'div', attrs: { class: 'rt-h' }, children: [{ type: 'text', text: block.text }] },
      ]
    case 'p':
      return [{ name: 'div', attrs: { class: 'rt-p' }, children: inline(block.text) }]
    case 'tip':
      return [{ name: 'div', attrs: { class: 'rt-tip' }, children: inline(block.text) }]
    case 'list':
      return [
        {
          name: 'ul',
          attrs: { class: 'rt-list' },
          children: block.items.map((item) => ({
            name: 'li',
            attrs: { class: 'rt-li' },
            children: inline(item),
          })),
        },
      ]
  }
}

/** The blocks as the template shows them, in order. */
export function shownBlocks(blocks: BlockView[]): Shown[] {
  return blocks.map((b, i) =>
    b.type === 'image'
      ? { key: `b${i}`, kind: 'image', src: b.src, alt: b.alt }
      : { key: `b${i}`, kind: 'text', nodes: nodesOf(b) },
  )
}

export interface Card extends ContentSummary {
  /** 已读 / 在读 / 读到第 3 章, or empty. */
  progress: string
}

export function cardOf(item: ContentSummary, progress: Progress | undefined): Card {
  let line = ''
  if (progress?.state === 'done') line = text.read
  else if (progress && item.kind === 'handbook' && progress.chapter !== undefined)
    line = readChapterLine(progress.chapter)
  else if (progress) line = text.reading
  return { ...item, progress: line }
}

export interface QuestionView {
  id: string
  index: number
  prompt: string
  multiple: boolean
  options: Array<{ id: string; text: string; label: string }>
}

export function questionsOf(quiz: QuizView): QuestionView[] {
  return quiz.questions.map((q, i) => ({
    id: q.id,
    index: i + 1,
    prompt: q.prompt,
    multiple: q.multiple,
    options: q.options.map((o) => ({ ...o, label: `${o.id.toUpperCase()}. ${o.text}` })),
  }))
}

/** The questions not answered yet (numbers as shown). */
export function unanswered(quiz: QuizView, answers: Record<string, string[]>): number[] {
  const missing: number[] = []
  quiz.questions.forEach((q, i) => {
    if ((answers[q.id]?.length ?? 0) === 0) missing.push(i + 1)
  })
  return missing
}

export interface ResultRow {
  id: string
  index: number
  prompt: string
  correct: boolean
  chosen: string
  answer: string
  explanation: string
}

const optionText = (ids: string[], options: Array<{ id: string; text: string }>) =>
  ids.map((id) => `${id.toUpperCase()}. ${options.find((o) => o.id === id)?.text ?? ''}`).join('；')

export function resultRows(result: QuizResultView): ResultRow[] {
  return result.results.map((r, i) => ({
    id: r.questionId,
    index: i + 1,
    prompt: r.prompt,
    correct: r.correct,
    chosen: optionText(r.chosen, r.options),
    answer: optionText(r.answer, r.options),
    explanation: r.explanation,
  }))
}
