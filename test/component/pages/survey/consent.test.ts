// The privacy notice before the first answer: what it says, that agreeing is required and kept,
// and that starting (with the share-code scene) leads to the first section to answer.
import { AUTO_RETRY } from '../../../../miniprogram/services/call'
import { shownText, textOf, until, type RenderedPage } from '../../support/render'
import { nextNavigation } from '../../support/navigation'
import { usePage, useStorage, useSurveyBackend } from '../../support/page-suite'

const { render } = usePage('pages/survey/consent/index')
const backend = useSurveyBackend()
const storage = useStorage()

function openConsent(version = 'public'): RenderedPage {
  const page = render()
  page.instance.onLoad({ version })
  return page
}

const tapButton = (page: RenderedPage, id: string) =>
  page.querySelector(id)!.querySelector('.t-button')!.dispatchEvent('tap')

function agree(page: RenderedPage): Promise<void> {
  page.querySelector('#agree')!.querySelector('.t-checkbox')!.dispatchEvent('tap')
  return until(page, (data) => data.agreed === true)
}

test('says what is collected, why, for how long, that nothing is sold, and whom to contact', () => {
  const page = openConsent()
  const notice = textOf(page, '#notice')
  expect(notice).toContain('您在问卷中填写的答案')
  expect(notice).toContain('常住省份和城市')
  expect(notice).toContain('匿名标识（OpenID）')
  expect(textOf(page, '#notice-purpose')).toContain('组委会统计分析、撰写全国及各地区调查报告')
  expect(textOf(page, '#notice-retention')).toContain('保存至本届调查报告发布后两年')
  expect(textOf(page, '#notice-sharing')).toContain('不会出售')
  expect(textOf(page, '#notice-contact')).toContain('cinsabj@163.com')
  expect(textOf(page, '#notice-minors')).toContain('未满14周岁')
})

test('the start button stays disabled until the respondent agrees; nothing is sent before', async () => {
  const page = openConsent()
  expect(page.querySelector('#start')!.data.disabled).toBe(true)
  await agree(page)
  expect(page.querySelector('#start')!.data.disabled).toBe(false)
  expect(backend().sent).toEqual([])
})

test('agreeing keeps the consent, starts the response with the scene and opens the next section', async () => {
  storage().map.set('wal.survey.scene', 'v_gz-0001')
  const navigated = nextNavigation('redirectTo')
  const page = openConsent('practitioner')
  await agree(page)
  tapButton(page, '#start')

  await expect(navigated).resolves.toEqual({
    url: '/pages/survey/section/index?version=practitioner&section=main',
  })
  expect(backend().sent.map((s) => s.event)).toEqual([
    {
      action: 'start',
      version: 'practitioner',
      scene: 'v_gz-0001',
      requestId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
    },
  ])
  expect(storage().map.get('wal.survey.consent')).toEqual({
    notice: '2024-1',
    at: expect.any(String),
  })
})

test('someone who agreed before finds the box ticked', () => {
  storage().map.set('wal.survey.consent', { notice: '2024-1', at: '2024-07-18T01:00:00.000Z' })
  const page = openConsent()
  expect(page.data.agreed).toBe(true)
  expect(page.querySelector('#agree')!.data.checked).toBe(true)
})

test('a failed start can be retried with the same requestId', async () => {
  for (let i = 0; i < AUTO_RETRY.attempts; i++) backend().failNext('request:fail timeout')
  const page = openConsent()
  await agree(page)
  tapButton(page, '#start')
  await until(page, (data) => data.phase === 'error')
  expect(shownText(page)).toContain('网络请求超时，请稍后重试')
  expect(textOf(page, '#start')).toBe('重试')

  const navigated = nextNavigation('redirectTo')
  tapButton(page, '#start')
  await navigated
  const [first, second] = backend().sent.map((s) => s.event)
  expect(second).toEqual(first)
})

test('a respondent locked into the other version is told so and can go home', async () => {
  backend().startedIn('public')
  const page = openConsent('practitioner')
  await agree(page)
  tapButton(page, '#start')
  await until(page, (data) => data.phase === 'error')
  expect(textOf(page, '#error')).toContain('你已选择了另一个问卷版本，版本确定后不能更改')

  const home = nextNavigation('reLaunch')
  tapButton(page, '#decline')
  await expect(home).resolves.toEqual({ url: '/pages/home/index' })
})

test('after the campaign has closed, says 本次调查已结束', async () => {
  backend().replyNext({ ok: false, error: { code: 'CAMPAIGN_CLOSED', message: 'closed' } })
  const page = openConsent()
  await agree(page)
  tapButton(page, '#start')
  await until(page, (data) => data.phase === 'closed')
  expect(shownText(page)).toContain('本次调查已结束')
})
