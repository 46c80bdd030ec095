// Search quality of the 百问百答 (server/faq-search.ts) on the demo's FAQ: thirty phrasings people
// really use → the question that answers them, within the first three results. The first twenty
// were used while choosing the synonym groups, domain words and weights; the last ten (HELD OUT)
// were written down before any result was looked at and never used for tuning — they measure
// how the index does on phrasings it was not shaped for.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { faqFileSchema } from 'wal-core'
import { bigrams, buildFaqIndex, words } from '../../server/faq-search'

const file = faqFileSchema.parse(
  JSON.parse(readFileSync(path.resolve(__dirname, '../../campaigns/demo/faq.json'), 'utf8')),
)
const index = buildFaqIndex(file.faqs, 1)
const top3 = (query: string) => index.search(query, 3).map((m) => m.faq.id)

/** Used in tuning. */
const TUNED: Array<[string, string]> = [
  ['积分怎么用', 'points-use'],
  ['积分怎么换礼品', 'how-redeem'],
  ['最多能抽几次奖', 'chances-public'],
  ['从业人员能抽几次', 'chances-practitioner'],
  ['礼品要几天内去拿', 'pickup-days'],
  ['过期没领礼品积分还退吗', 'pickup-expired'],
  ['怎么当志愿者', 'volunteer-how'],
  ['分享码拉一个人答题给几分', 'share-points'],
  ['红包怎么提现', 'cash-redpacket'],
  ['积分能转给朋友吗', 'transfer-points'],
  ['问卷提交了还能改吗', 'edit-after-submit'],
  ['调查什么时候截止', 'when-open'],
  ['会不会泄露我的个人信息', 'privacy-protect'],
  ['附近的自提点在哪', 'find-store'],
  ['选错版本了怎么办', 'change-version'],
  ['为什么我的问卷无效', 'invalid-why'],
  ['抽奖中奖概率多少', 'draw-odds'],
  ['兑换的东西不想要了能退吗', 'cancel-redeem'],
  ['做测验能加抽奖机会吗', 'quiz-no-chance'],
  ['扫了两个人的码算谁的', 'multiple-codes'],
]

/** HELD OUT: never used to tune anything. */
const HELD_OUT: Array<[string, string]> = [
  ['积分可以换钱吗', 'points-cash'],
  ['答一次问卷要多久', 'how-long'],
  ['在哪看我有多少积分', 'points-balance'],
  ['这个调查是不是骗子', 'is-official'],
  ['孩子能参加吗', 'minor-answer'],
  ['店员怎么核销', 'clerk-verify'],
  ['为什么要我的位置', 'privacy-location'],
  ['服务站提成多少', 'station-override'],
  ['专题必须答吗', 'what-topic'],
  ['我的积分为什么是负的', 'points-negative'],
]

describe('the thirty phrasings', () => {
  it.each(TUNED)('%s → %s in the top 3', (query, expected) => {
    expect(top3(query)).toContain(expected)
  })

  it('held-out phrasings: at least 8 of 10 in the top 3 (9 of 10 when last measured)', () => {
    const hits = HELD_OUT.filter(([q, id]) => top3(q).includes(id))
    // 在哪看我有多少积分 → points-balance was missed when measured (看/多少 are not synonyms of
    // 查看/余额); it stays a miss on purpose rather than tuned for.
    expect(hits.length).toBeGreaterThanOrEqual(8)
  })
})

describe('segmentation', () => {
  it('finds 积分可以兑换什么 for 积分怎么用: 用 and 兑换 are one synonym group', () => {
    expect(words('积分怎么用')).toEqual(['积分', '兑换'])
    expect(words('积分可以兑换什么')).toEqual(['积分', '兑换'])
  })

  it('keeps the product’s own words whole where the general dictionary splits them', () => {
    expect(words('礼品自提点在哪')).toContain('自提点')
    expect(words('网安联积分商城')).toEqual(['积分', '商城'])
    expect(words('有效样本')).toEqual(['有效样本'])
  })

  it('drops how-a-question-is-asked words, keeps numbers and Latin words', () => {
    expect(words('请问怎么样才可以')).not.toContain('怎么样')
    expect(words('2024 年的报告 PDF')).toEqual(expect.arrayContaining(['2024', 'pdf']))
  })

  it('adds overlapping character pairs, normalising full-width text', () => {
    expect(bigrams('积分怎么用')).toEqual(['积分', '分怎', '怎么', '么用'])
    expect(words('ＰＤＦ')).toEqual(['pdf'])
  })
})

describe('ranking', () => {
  it('an empty or stopword-only query finds nothing rather than everything', () => {
    expect(index.search('？？', 5)).toEqual([])
    expect(index.search('hello world', 5)).toEqual([])
  })

  it('a coincidental word scores but covers little of the question', () => {
    const [best] = index.search('今天天气怎么样', 3)
    expect(best!.coverage).toBeLessThan(0.6)
    const [good] = index.search('积分怎么换礼品', 3)
    expect(good!.coverage).toBe(1)
  })

  it('related questions: the hand-picked first, then the nearest, never itself', () => {
    const related = index.related('points-use', 3).map((f) => f.id)
    expect(related.slice(0, 2)).toEqual(['how-redeem', 'pickup-how'])
    expect(related).toHaveLength(3)
    expect(related).not.toContain('points-use')
    for (const f of file.faqs) expect(index.related(f.id, 3)).toHaveLength(3)
  })
})
