// The section-complete page: the chances a valid section earned, the polite message for one not
// counted, and the way on (next topic, all topics, the draw, home).
import type { SubmitReply } from 'wal-core'
import { publicMainAnswers } from '../../support/answers'
import { nextNavigation } from '../../support/navigation'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useSurveyBackend } from '../../support/page-suite'
import { rememberSubmitReply } from '../../../../miniprogram/utils/survey-store'

const { open } = usePage('pages/survey/done/index')
const backend = useSurveyBackend()

const openDone = (section: string): Promise<RenderedPage> => open({ version: 'public', section })

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

function replyFor(section: string, valid: boolean): SubmitReply {
  const progress = backend().progress()
  return {
    sectionId: section,
    valid,
    flags: valid ? [] : ['speeder'],
    message: valid
      ? null
      : '感谢参与！系统检测到本部分作答可能不够完整或过于匆忙，本部分未计入有效样本，也不产生抽奖机会。',
    checks: valid ? [] : ['作答过快'],
    chancesGranted: valid ? 5 : 0,
    chancesTotal: progress.chancesTotal,
    progress,
  }
}

test('a valid main section: the chances it earned, the total, and the next topic', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  rememberSubmitReply(replyFor('main', true))
  const page = await openDone('main')

  expect(backend().sent).toEqual([]) // the submit reply says it all
  expect(shownText(page)).toContain('提交成功')
  expect(textOf(page, '#earned')).toBe('本部分获得 5 次抽奖机会')
  expect(textOf(page, '#total')).toBe('您共有 5 次抽奖机会（最多 10 次）')
  expect(textOf(page, '#next-title')).toBe('网络法治')

  const navigated = nextNavigation('redirectTo')
  tapButton(page, '#next')
  await expect(navigated).resolves.toEqual({
    url: '/pages/survey/section/index?version=public&section=rule_of_law',
  })
})

test('a section not counted shows the polite message and no chances', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  backend().statuses.cybercrime = 'invalid'
  rememberSubmitReply(replyFor('cybercrime', false))
  const page = await openDone('cybercrime')

  expect(shownText(page)).toContain('本部分未计入有效样本')
  expect(shownText(page)).toContain('作答可能不够完整或过于匆忙')
  expect(textOf(page, '#earned')).toBe('本部分未获得抽奖机会')
})

test('查看全部专题 lists every section with its status; an open topic can be chosen', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const page = await openDone('main') // opened again later: asks the server
  expect(backend().actions()).toEqual(['myResponse'])
  expect(shownText(page)).toContain('该部分已提交')

  tapButton(page, '#topics')
  await until(page, (data) => data.showTopics)
  expect(textOf(page, '#topic-main')).toContain('已完成')
  expect(textOf(page, '#topic-personal_info')).toContain('未作答')
  expect(page.querySelector('#topic-minors')).toBeUndefined()

  const navigated = nextNavigation('redirectTo')
  page.querySelector('#topic-personal_info')!.querySelector('.t-cell')!.dispatchEvent('tap')
  await expect(navigated).resolves.toEqual({
    url: '/pages/survey/section/index?version=public&section=personal_info',
  })
})

test('with chances earned, 去抽奖 opens the draw hub; home is always a tap away', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const page = await openDone('main')

  const draw = nextNavigation('navigateTo')
  tapButton(page, '#draw')
  await expect(draw).resolves.toEqual({ url: '/pages/draw/hub/index' })

  const home = nextNavigation('reLaunch')
  tapButton(page, '#home')
  await expect(home).resolves.toEqual({ url: '/pages/home/index' })
})

test('without any chance (a main part not counted) there is no draw to offer', async () => {
  backend().startedIn('public')
  backend().statuses.main = 'invalid'
  const page = await openDone('main')
  expect(page.querySelector('#draw')).toBeUndefined()
  expect(page.querySelector('#home')).toBeDefined()
})

test('with every section done there is no next topic, only thanks', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  for (const s of backend().progress().sections) backend().statuses[s.id] = 'valid'
  const page = await openDone('main')
  expect(page.querySelector('#next')).toBeUndefined()
  expect(textOf(page, '#all-done')).toBe('您已完成全部问卷，感谢参与！')
})

test('the done page forwards a card that invites friends to answer', async () => {
  const page = await open({ version: 'public', section: 'main' })
  expect(page.instance.onShareAppMessage()).toEqual({
    title: expect.stringContaining('邀您参加'),
    path: '/pages/home/index',
  })
})
