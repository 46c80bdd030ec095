// 我的奖品 in real Chromium (issue 18's Done when: "a verified offline draw whose winners see their
// prize in the mini-program"): three respondents of 广州 answer through the survey function, the
// committee's console account holds an offline draw there through the organiser function (define,
// commit, reveal: three prizes for three people, so the demo respondent wins exactly one), and the
// demo respondent opens 我的奖品 from home: the draw, the prize the database holds for their
// pseudonymous id, how to claim it and the draw's public record. Someone who did not take part sees
// the empty state, and the database holds no prize for them.
import { pseudonymizer } from '../../server/organiser/access'
import { DRAW_WINNERS, OFFLINE_DRAWS } from '../../server/organiser/draws'
import { answerMain, doc, docs, holdOfflineDraw } from './support/journeys'
import { openPhone, openWorld, withScreenshots, type World } from './support/world'

jest.setTimeout(120_000)

const RESPONDENT = 'o-demo-respondent' // the preview's 答题者
const OTHERS = ['o-prizes-1', 'o-prizes-2']
const DRAW = {
  title: '广州市线下抽奖（电信专场）',
  regionCode: '440100',
  prizes: [
    { kind: 'flow', label: '10GB 流量包', count: 2, claim: '凭中奖页面到广州电信营业厅领取' },
    { kind: 'fare', label: '50 元话费', count: 1, claim: '开奖后 7 日内自动充入答题手机号' },
  ],
}

interface WinnerDoc {
  drawId: string
  pseudonym: string
  prizeKind: string
  label: string
  claim: string
}

let world: World
beforeAll(async () => {
  world = await openWorld()
})
afterAll(async () => {
  await world?.close()
})

test('a winner of an offline draw sees the prize, where it was drawn, how to claim it and the public record', async () => {
  await withScreenshots(world, 'prizes', async () => {
    for (const openid of [RESPONDENT, ...OTHERS]) await answerMain(world, openid)
    const drawn = await holdOfflineDraw(world.server.host, DRAW)

    // The database: the draw revealed over the three, each a winner once, one prize each.
    const stored = await doc<{ status: string; eligibleCount: number; seed: string }>(
      OFFLINE_DRAWS,
      drawn.drawId,
    )
    expect(stored).toMatchObject({ status: 'revealed', eligibleCount: 3, seed: drawn.seed })
    const winners = await docs<WinnerDoc>(DRAW_WINNERS, { drawId: drawn.drawId })
    expect(winners).toHaveLength(3)
    expect(new Set(winners.map((w) => w.pseudonym)).size).toBe(3)
    const me = (await pseudonymizer('demo'))(RESPONDENT)
    const mine = winners.filter((w) => w.pseudonym === me)
    expect(mine).toHaveLength(1)
    const prize = DRAW.prizes.find((p) => p.kind === mine[0]!.prizeKind)!
    expect(mine[0]).toMatchObject({ label: prize.label, claim: prize.claim })

    // The winner's phone: home → 我的奖品.
    const phone = await openPhone(world, 'respondent')
    await phone.on('pages/home/index')
    await phone.tap('我的奖品')
    await phone.on('pages/prizes/index', DRAW.title)
    await phone.shows(prize.label)
    await phone.shows('领取方式')
    await phone.shows(prize.claim)
    await phone.shows('广州市')
    // The public record, folded until asked for: the seed the draw revealed.
    await phone.tap('查看验证记录')
    await phone.shows(drawn.seed)
    await phone.shows('3 人')
    // Only the one prize: the other two went to the others.
    const other = DRAW.prizes.find((p) => p.kind !== prize.kind)!
    expect(await phone.screen.getByText(other.label).count()).toBe(0)
  })
})

test('someone who did not take part sees that there is no prize yet', async () => {
  await withScreenshots(world, 'prizes-empty', async () => {
    const phone = await openPhone(world, 'respondent2', { page: 'pages/prizes/index' })
    await phone.on('pages/prizes/index', '暂时没有中奖记录')
    await phone.shows('返回首页')
    expect(await phone.screen.getByText(DRAW.title).count()).toBe(0)
    const pseudonym = (await pseudonymizer('demo'))('o-demo-respondent-2')
    expect(await docs(DRAW_WINNERS, { pseudonym })).toEqual([])
  })
})
