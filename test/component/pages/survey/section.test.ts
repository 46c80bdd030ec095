// The questionnaire section page with the real 2024 content, rendered with the WXML compiler
// and TDesign; the backend is a fake behind wx.request that applies core's rules.
import { AUTO_RETRY } from '../../../../miniprogram/services/call'
import { draftKey, publicMainAnswers, ruleOfLawAnswers } from '../../support/answers'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { usePage, useStorage, useSurveyBackend } from '../../support/page-suite'

const { open: openSection } = usePage('pages/survey/section/index')
const backend = useSurveyBackend()
const storage = useStorage()
let redirectTo: jest.SpyInstance
let showToast: jest.SpyInstance

beforeEach(() => {
  redirectTo = jest.spyOn(wx, 'redirectTo').mockImplementation(() => undefined as never)
  showToast = jest.spyOn(wx, 'showToast').mockImplementation(() => undefined as never)
  jest.spyOn(wx, 'pageScrollTo').mockImplementation(() => undefined as never)
})

/** Tap a TDesign control the way a finger does (on the native node inside it). */
function tap(page: RenderedPage, outer: string, inner: string): void {
  page.querySelector(outer)!.querySelector(inner)!.dispatchEvent('tap')
}

function question(page: RenderedPage, id: string) {
  const q = page.querySelector(`#question-${id}`)
  if (!q) throw new Error(`question ${id} is not shown`)
  return q
}

/** Choose option `index` of a single-choice question. */
function choose(page: RenderedPage, id: string, index: number): void {
  const radios = question(page, id)
    .querySelector('.q__choices')!
    .querySelectorAll('.t-radio-option')
  radios[index]!.querySelector('.t-radio')!.dispatchEvent('tap')
}

const shownIds = (page: RenderedPage): string[] =>
  (page.data.items as Array<{ id: string; visible: boolean }>)
    .filter((i) => i.visible)
    .map((i) => i.id)

test('shows the main questionnaire with its place among the sections and the answered count', async () => {
  backend().startedIn('public')
  const page = await openSection({ version: 'public', section: 'main' })

  expect(page.data.phase).toBe('ready')
  expect(backend().actions()).toEqual(['getQuestionnaire', 'myResponse'])
  // main + 9 topics: the minors topic is offered only to parents, minors and teachers.
  expect(textOf(page, '#part')).toBe('第 1/10 部分')
  // 26 questions, of which the two fraud follow-ups are hidden until fraud is reported.
  expect(textOf(page, '#answered')).toBe('已答 0/24 题')
  expect(shownIds(page)).not.toContain('m_fraud_action')
  expect(textOf(page, '#title')).toBe('主问卷')
  expect(textOf(page, '#question-m_gender')).toContain('1. 您的性别')
  expect(textOf(page, '#question-m_suggestion')).toContain('（选填）')
  expect(shownIds(page)).not.toContain('m_fraud_type')
})

test('opens the next section to answer when none is named', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const page = await openSection({ version: 'public' })
  expect(textOf(page, '#title')).toBe('网络法治')
  expect(textOf(page, '#part')).toBe('第 2/10 部分')
})

test('a skipped required question shows its error inline and nothing is sent', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const page = await openSection({ version: 'public', section: 'cybercrime' })
  choose(page, 't_crime_antifraud_app', 0)
  await until(page, () => page.data.items[1].value === 'installed')

  tap(page, '#submit', '.t-button')
  await until(page, () => page.data.items[0].error !== '')

  expect(textOf(page, '#question-t_crime_channels')).toContain('此题为必答题')
  expect(textOf(page, '#question-t_crime_antifraud_app')).not.toContain('此题为必答题')
  expect(page.querySelector('#question-t_crime_channels')!.data.error).toBe('此题为必答题')
  expect(backend().actions()).not.toContain('submitSection')
  expect(showToast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '还有题目需要修改，请查看标红的题目' }),
  )
  expect(wx.pageScrollTo).toHaveBeenCalledWith(
    expect.objectContaining({ selector: '#item-t_crime_channels' }),
  )
})

test('answering when one last shopped online brings up the follow-up questions, numbered', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const page = await openSection({ version: 'public', section: 'online_shopping' })
  // Until the first question is answered, only the questions for everyone are shown.
  expect(shownIds(page)).toEqual(['t_shop_last', 't_shop_safety', 't_shop_rev', 't_shop_dispute'])
  expect(textOf(page, '#question-t_shop_safety')).toContain('2. 您觉得现在的网购环境安全吗？')

  choose(page, 't_shop_last', 0) // 一周内
  await until(page, () => shownIds(page).includes('t_shop_aspects'))
  expect(shownIds(page)).toEqual([
    't_shop_last',
    't_shop_channels',
    't_shop_problems',
    't_shop_safety',
    't_shop_rev',
    't_shop_aspects',
    't_shop_dispute',
  ])
  expect(textOf(page, '#question-t_shop_safety')).toContain('4. 您觉得现在的网购环境安全吗？')
  expect(textOf(page, '#answered')).toBe('已答 1/7 题')

  choose(page, 't_shop_last', 4) // 从未网购过
  await until(page, () => !shownIds(page).includes('t_shop_channels'))
  expect(page.querySelector('#question-t_shop_channels')).toBeUndefined()
  expect(textOf(page, '#answered')).toBe('已答 1/4 题')
})

test('every change is kept as a draft, and an interrupted answer comes back', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const first = await openSection({ version: 'public', section: 'rule_of_law' })
  choose(first, 't_law_rights', 1)
  await until(first, () => first.data.items[5].value === 'platform')
  expect(storage().map.get(draftKey('public', 'rule_of_law'))).toEqual({ t_law_rights: 'platform' })

  // The app is closed; later the page opens again with what storage kept.
  storage().map.set(draftKey('public', 'rule_of_law'), {
    t_law_effect: 4,
    t_law_rights: 'other',
    t_law_rights__other: '找律师咨询',
  })
  const again = await openSection({ version: 'public', section: 'rule_of_law' })

  expect(textOf(again, '#restored')).toBe('已恢复您上次未提交的答案')
  const radios = question(again, 't_law_rights').querySelector('.q__choices')!
  expect(radios.querySelectorAll('.t-radio-option').map((r) => r.data.checked)).toEqual([
    false,
    false,
    false,
    false,
    false,
    true,
  ])
  expect(question(again, 't_law_rights').querySelector('.q__other')!.data.value).toBe('找律师咨询')
  expect(question(again, 't_law_effect').data.view.points[3].selected).toBe(true)
  expect(textOf(again, '#answered')).toBe('已答 2/7 题')
})

test('a complete section is submitted once and the done page opens; the draft is cleared', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  storage().map.set(draftKey('public', 'rule_of_law'), ruleOfLawAnswers)
  const page = await openSection({ version: 'public', section: 'rule_of_law' })
  expect(textOf(page, '#answered')).toBe('已答 7/7 题')

  tap(page, '#submit', '.t-button')
  await until(page, () => redirectTo.mock.calls.length > 0)

  expect(redirectTo).toHaveBeenCalledWith({
    url: '/pages/survey/done/index?version=public&section=rule_of_law',
  })
  const submits = backend().sent.filter((s) => s.event.action === 'submitSection')
  expect(submits).toHaveLength(1)
  expect(submits[0]!.event).toMatchObject({ sectionId: 'rule_of_law', answers: ruleOfLawAnswers })
  // What the page measured goes along, for review (restored from a draft: nothing touched here).
  expect(submits[0]!.event.paradata).toEqual({ visibleMs: expect.any(Number), questions: {} })
  expect(storage().map.has(draftKey('public', 'rule_of_law'))).toBe(false)
  expect(storage().map.get('wal.survey.answers.wal-2024.public')).toEqual(ruleOfLawAnswers)
})

test("the server's VALIDATION_FAILED shows its message under the question it names", async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  storage().map.set(draftKey('public', 'rule_of_law'), ruleOfLawAnswers)
  const page = await openSection({ version: 'public', section: 'rule_of_law' })
  backend().replyNext({
    ok: false,
    error: {
      code: 'VALIDATION_FAILED',
      message: 'answers rejected',
      details: { errors: { t_law_rights: { code: 'invalid', message: '请选择一个选项' } } },
    },
  })

  tap(page, '#submit', '.t-button')
  await until(page, () => page.data.items[5].error !== '')

  expect(textOf(page, '#question-t_law_rights')).toContain('请选择一个选项')
  expect(showToast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '部分题目需要修改，请检查标红的题目' }),
  )
  expect(redirectTo).not.toHaveBeenCalled()
})

test('after a network failure, 重新提交 re-sends the same requestId', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  storage().map.set(draftKey('public', 'rule_of_law'), ruleOfLawAnswers)
  const page = await openSection({ version: 'public', section: 'rule_of_law' })
  for (let i = 0; i < AUTO_RETRY.attempts; i++) backend().failNext()

  tap(page, '#submit', '.t-button')
  await until(page, () => page.data.submitError !== '')
  expect(textOf(page, '#submit-error')).toContain('网络连接失败，请检查网络后重试')
  expect(textOf(page, '#submit')).toBe('重新提交')
  expect(storage().map.has(draftKey('public', 'rule_of_law'))).toBe(true)

  tap(page, '#submit', '.t-button')
  await until(page, () => redirectTo.mock.calls.length > 0)

  const submits = backend().sent.filter((s) => s.event.action === 'submitSection')
  // The first send and its automatic re-sends failed; 重新提交 sent it once more, all alike.
  expect(submits).toHaveLength(AUTO_RETRY.attempts + 1)
  for (const sent of submits) expect(sent.event).toEqual(submits[0]!.event)
  expect(submits[0]!.event.requestId).toEqual(expect.any(String))
})

test('a respondent who has not started is sent to the privacy notice first', async () => {
  await openSection({ version: 'public', section: 'main' })
  expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/survey/consent/index?version=public' })
})

test('when every section is done, says thank you with the chances earned', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  for (const s of backend().progress().sections) backend().statuses[s.id] = 'valid'
  backend().chances = 10
  const page = await openSection({ version: 'public' })

  expect(page.data.phase).toBe('finished')
  expect(shownText(page)).toContain('您已完成全部问卷')
  expect(shownText(page)).toContain('您共获得 10 次抽奖机会')
})

test('a closed campaign says 本次调查已结束 and leads home', async () => {
  backend().startedIn('public')
  backend().replyNext({
    ok: false,
    error: { code: 'CAMPAIGN_CLOSED', message: '本次调查已结束，感谢关注' },
  })
  const page = await openSection({ version: 'public', section: 'main' })

  expect(page.data.phase).toBe('closed')
  expect(shownText(page)).toContain('本次调查已结束')
  const reLaunched = new Promise((resolve) => {
    jest.spyOn(wx, 'reLaunch').mockImplementation(((options: unknown) => resolve(options)) as never)
  })
  tap(page, '#closed-home', '.t-button')
  await expect(reLaunched).resolves.toEqual({ url: '/pages/home/index' })
})

test('a topic not offered (minors, hidden by the answers) says it cannot be answered now, not that the service is busy', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const page = await openSection({ version: 'public', section: 'minors' })

  expect(page.data.phase).toBe('unavailable')
  expect(shownText(page)).toContain('该部分暂不可作答')
  expect(shownText(page)).not.toContain('服务繁忙')
})

test('a section of the other version says the version is fixed, not that the service is busy', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  const page = await openSection({ version: 'practitioner', section: 'main' })

  expect(page.data.phase).toBe('unavailable')
  expect(shownText(page)).toContain('版本确定后不能更改')
  expect(shownText(page)).not.toContain('服务繁忙')
})

test('a load failure offers 重试, which loads the same section', async () => {
  backend().startedIn('public', { main: publicMainAnswers })
  backend().failNext()
  const page = await openSection({ version: 'public', section: 'cybercrime' })
  expect(page.data.phase).toBe('error')
  expect(shownText(page)).toContain('网络连接失败，请检查网络后重试')

  tap(page, '#retry', '.t-button')
  await until(page, () => page.data.phase === 'ready')
  expect(textOf(page, '#title')).toBe('打击网络犯罪与电信诈骗')
})
