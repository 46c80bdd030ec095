// The 百问百答 search: Chinese text cut into words by Node's Intl.Segmenter (ICU's dictionary
// segmenter) plus overlapping character pairs, words mapped onto synonym groups, and BM25 over
// three weighted fields. Pure (no database): server/content.ts builds one index per content
// version and keeps it per function instance. Why these choices: docs/operations.md, "FAQ search".
import type { Faq } from 'wal-core'

/**
 * Words that say how a question is asked, not what it is about (怎么, 什么, 吗 …): dropped from
 * words, kept in character pairs (so 什么时候 still finds 时候 through its pairs).
 */
const STOPWORDS = new Set(
  (
    '的 了 吗 呢 吧 啊 呀 么 嘛 哦 是 我 我们 你 您 他 她 它 自己 怎么 怎么样 怎样 如何 什么 啥 ' +
    '哪 哪些 哪个 哪儿 为什么 为何 可以 能 能否 能不能 可不可以 会 会不会 有没有 是不是 一下 请问 ' +
    '这个 那个 这 那 和 与 及 或 在 就 都 还 也 吗？ 个 把 被 让 给 对 从 到 去 来 上 下 里 中 ' +
    '一个 一些 些 得 地 着 过 又 呗 所以 因为 如果 需要 要 想 应该 该 有 没有 我的 内'
  ).split(' '),
)

/**
 * Synonym groups, the first word of each being what the others become. Each says something a
 * person asking and the answer's author put differently; they are applied to the index and to
 * the query alike, so a group only ever widens a match, never reorders the index by itself.
 */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  // 积分怎么用 ↔ 积分可以兑换什么
  ['兑换', '用', '使用', '换', '兑', '花', '抵扣', '换成', '兑换成', '买', '购买', '消费'],
  ['礼品', '奖品', '礼物', '商品', '东西', '好礼', '物品', '赠品'],
  ['积分', '网安联积分', '分数', '点数', '分'],
  ['抽奖', '抽', '摇奖', '开奖'],
  ['机会', '次数', '几次', '次'],
  ['自提点', '自提', '自提店', '提货', '取货', '门店', '店', '店铺', '提货点', '取货点'],
  ['领取', '领', '拿', '取', '收到'],
  ['问卷', '答卷', '调查表', '问卷调查', '调查问卷'],
  ['答题', '作答', '填写', '回答', '填', '答', '参与调查', '参加调查'],
  ['红包', '现金', '零钱', '钱'],
  ['志愿者', '志愿', '义工', '志愿服务'],
  ['分享码', '专属二维码', '专属码', '推广码', '分享二维码'],
  ['隐私', '个人信息', '个人资料', '信息'],
  ['取消', '撤销', '退'],
  ['过期', '逾期', '超时', '到期', '没去'],
  ['时间', '时候', '日期', '几号', '几点', '截止'],
  ['转赠', '转给', '转让', '送给', '赠送', '转'],
  ['证书', '证明'],
  ['未成年人', '未成年', '孩子', '小孩', '儿童', '青少年'],
  ['诈骗', '骗', '骗子', '被骗', '骗局'],
  ['手机', '电话'],
  ['版本', '版'],
  ['专题', '专题问卷', '加题'],
  ['从业人员', '从业者', '从业', '网络从业人员', '业内人士'],
  ['单位', '机构', '组织'],
  ['中奖', '奖励', '得奖'],
]

const CANONICAL = new Map<string, string>()
for (const group of SYNONYM_GROUPS) for (const w of group) CANONICAL.set(w, group[0]!)

/**
 * The product's own words, which ICU's general dictionary cuts into single characters (自提点 →
 * 自/提/点, 商城 → 商/城): matched first, longest first, like a user dictionary; the rest of the
 * text goes to the segmenter.
 */
const DOMAIN_WORDS: readonly string[] = [
  '网安联',
  '积分商城',
  '公益商店',
  '商城',
  '有效样本',
  '样本',
  '九宫格',
  '宝箱',
  '铜宝箱',
  '银宝箱',
  '金宝箱',
  '防诈宝典',
  '百问百答',
  '发起单位',
  '联合发起单位',
  '支持单位',
  '服务站',
  '服务队',
  '宣传补贴',
  '取货码',
  '核销',
  '小程序',
  '二维码',
  '主问卷',
  '公共网民版',
  '网民版',
  '用户码',
  '邀请码',
  '组委会',
  '秘书处',
  '满意度',
  '安全感',
  '调查报告',
  '文创产品',
  '文创',
  '店员',
  '预约',
  '提成',
  '分成',
]

const DICTIONARY = new Set<string>([
  ...DOMAIN_WORDS,
  ...SYNONYM_GROUPS.flat().filter((w) => w.length >= 2),
])
const LONGEST = Math.max(...[...DICTIONARY].map((w) => w.length))

const SEGMENTER = new Intl.Segmenter('zh', { granularity: 'word' })
const CJK_RUN = /[\u3400-\u9fff]+/g

/** Full-width to half-width and lower case (NFKC does the first). */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** Raw words: dictionary words where they match (longest first), ICU's words elsewhere. */
function rawWords(text: string): string[] {
  const out: string[] = []
  let pending = ''
  const flush = () => {
    for (const s of SEGMENTER.segment(pending)) if (s.isWordLike) out.push(s.segment)
    pending = ''
  }
  for (let i = 0; i < text.length;) {
    let match = ''
    for (let len = Math.min(LONGEST, text.length - i); len >= 2; len--) {
      const candidate = text.slice(i, i + len)
      if (DICTIONARY.has(candidate)) {
        match = candidate
        break
      }
    }
    if (match) {
      flush()
      out.push(match)
      i += match.length
    } else {
      pending += text[i]
      i += 1
    }
  }
  flush()
  return out
}

/**
 * The words of a text as the index sees them: segmented, stopwords dropped, synonyms mapped to
 * their group's first word. Latin words and numbers are kept as they are (2024, pdf).
 */
export function words(text: string): string[] {
  const out: string[] = []
  for (const w of rawWords(normalise(text))) {
    if (STOPWORDS.has(w)) continue
    out.push(CANONICAL.get(w) ?? w)
  }
  return out
}

/** Overlapping pairs of Chinese characters (积分怎么用 → 积分 分怎 怎么 么用): robust to segmentation. */
export function bigrams(text: string): string[] {
  const out: string[] = []
  for (const run of normalise(text).match(CJK_RUN) ?? [])
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2))
  return out
}

/** Index terms of a text: words (w:) and character pairs (b:). */
function terms(text: string): string[] {
  return [...words(text).map((w) => `w:${w}`), ...bigrams(text).map((b) => `b:${b}`)]
}

/** How much a field counts, and how much a kind of term counts in a query. */
const FIELD_WEIGHTS = { question: 3, keywords: 2, answer: 1 } as const
const TERM_WEIGHTS = { word: 1, pair: 0.35 } as const
const K1 = 1.2
const B = 0.75

interface IndexedDoc {
  faq: Faq
  /** Weighted term frequencies over the fields. */
  tf: Map<string, number>
  /** Weighted length. */
  length: number
}

export interface FaqHit {
  faq: Faq
  /** BM25 over words and character pairs; only comparable within one query. */
  score: number
  /**
   * The share of the query's words (weighted by how rare each is) this FAQ contains: 1 when it
   * has them all. A high score from one coincidental word (今天天气 → 今天) has a low coverage.
   */
  coverage: number
}

export interface FaqIndex {
  version: number
  size: number
  search(query: string, limit?: number, exclude?: string): FaqHit[]
  /** The related questions of one FAQ: its own picks, then the nearest others. */
  related(faqId: string, limit?: number): Faq[]
}

/** Builds the index of the published FAQs of one content version. */
export function buildFaqIndex(faqs: readonly Faq[], version: number): FaqIndex {
  const docs: IndexedDoc[] = faqs.map((faq) => {
    const tf = new Map<string, number>()
    let length = 0
    const add = (text: string, weight: number) => {
      for (const t of terms(text)) {
        tf.set(t, (tf.get(t) ?? 0) + weight)
        length += weight
      }
    }
    add(faq.question, FIELD_WEIGHTS.question)
    add(faq.keywords.join(' '), FIELD_WEIGHTS.keywords)
    add(faq.answer, FIELD_WEIGHTS.answer)
    return { faq, tf, length }
  })
  const df = new Map<string, number>()
  for (const d of docs) for (const t of d.tf.keys()) df.set(t, (df.get(t) ?? 0) + 1)
  const n = docs.length
  const avgLength = docs.reduce((a, d) => a + d.length, 0) / Math.max(1, n)
  const idf = (t: string) => {
    const f = df.get(t) ?? 0
    return Math.log(1 + (n - f + 0.5) / (f + 0.5))
  }
  const byId = new Map(docs.map((d) => [d.faq.id, d]))

  function search(query: string, limit = 5, exclude?: string) {
    const weights = new Map<string, number>()
    for (const t of terms(query)) {
      const w = t.startsWith('w:') ? TERM_WEIGHTS.word : TERM_WEIGHTS.pair
      weights.set(t, Math.max(weights.get(t) ?? 0, w))
    }
    if (weights.size === 0) return []
    const queryWords = [...weights.keys()].filter((t) => t.startsWith('w:'))
    const wordMass = queryWords.reduce((a, t) => a + idf(t), 0)
    const scored: FaqHit[] = []
    for (const d of docs) {
      if (d.faq.id === exclude) continue
      let score = 0
      for (const [t, qw] of weights) {
        const f = d.tf.get(t)
        if (!f) continue
        const norm = f + K1 * (1 - B + (B * d.length) / avgLength)
        score += qw * idf(t) * ((f * (K1 + 1)) / norm)
      }
      const covered = queryWords.filter((t) => d.tf.has(t)).reduce((a, t) => a + idf(t), 0)
      if (score > 0)
        scored.push({ faq: d.faq, score, coverage: wordMass > 0 ? covered / wordMass : 0 })
    }
    // Ties keep the authors' order (topic order, then `order`), so results are stable.
    return scored.sort((a, b) => b.score - a.score).slice(0, limit)
  }

  const relatedCache = new Map<string, Faq[]>()
  function related(faqId: string, limit = 3): Faq[] {
    const key = `${faqId}:${limit}`
    const hit = relatedCache.get(key)
    if (hit) return hit
    const doc = byId.get(faqId)
    if (!doc) return []
    const picked = doc.faq.related.map((id) => byId.get(id)?.faq).filter((f): f is Faq => !!f)
    for (const { faq } of search(doc.faq.question, limit + picked.length + 1, faqId)) {
      if (picked.length >= limit) break
      if (!picked.some((p) => p.id === faq.id)) picked.push(faq)
    }
    const out = picked.slice(0, limit)
    relatedCache.set(key, out)
    return out
  }

  return { version, size: n, search, related }
}
