// Campaign data files: the shipped ones are valid and say what campaign-rules.md says; a broken
// file fails naming the file and the field; the demo window opens today in China time.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { windowStatus } from 'wal-core'
import { CampaignDataError, loadCampaigns } from '../../campaigns/load'
import { demoWindow } from '../../scripts/seed'

let scratch: string
beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'wal-campaigns-'))
})
afterEach(() => rmSync(scratch, { recursive: true, force: true }))

function writeCampaign(folder: string, content: unknown): void {
  mkdirSync(path.join(scratch, folder))
  const text = typeof content === 'string' ? content : JSON.stringify(content)
  writeFileSync(path.join(scratch, folder, 'campaign.json'), text)
}

test('the shipped campaigns load, including 2024 with its 07-17 to 07-26 24:00 window', () => {
  const campaigns = loadCampaigns()
  expect(campaigns.map((c) => c.id).sort()).toEqual(['demo', 'wal-2024'])
  const c2024 = campaigns.find((c) => c.id === 'wal-2024')!
  expect(c2024).toMatchObject({
    year: 2024,
    name: '2024年网民网络安全感满意度调查活动',
    slogan: '安安全全共净网 满满意意享生活',
    window: {
      startsAt: '2024-07-17T00:00:00+08:00',
      endsAt: '2024-07-27T00:00:00+08:00',
      timeZone: 'Asia/Shanghai',
    },
  })
  expect(c2024.versions.map((v) => [v.id, v.title])).toEqual([
    ['public', '公共网民版'],
    ['practitioner', '网络从业人员版'],
  ])
})

test('an invalid file fails naming the file and the field', () => {
  const good = loadCampaigns().find((c) => c.id === 'wal-2024')!
  writeCampaign('2030', { ...good, id: 'wal-2030', window: { ...good.window, endsAt: '07-27' } })
  expect(() => loadCampaigns(scratch)).toThrow(CampaignDataError)
  expect(() => loadCampaigns(scratch)).toThrow(/2030[/\\]campaign\.json[\s\S]*window\.endsAt/)
})

test('a file that is not JSON, a folder without campaign.json and duplicate ids all fail', () => {
  writeCampaign('broken', '{ "id": ')
  expect(() => loadCampaigns(scratch)).toThrow(/broken[/\\]campaign\.json: not readable JSON/)

  rmSync(path.join(scratch, 'broken'), { recursive: true })
  mkdirSync(path.join(scratch, 'empty'))
  expect(() => loadCampaigns(scratch)).toThrow(/empty[/\\]campaign\.json: missing/)

  rmSync(path.join(scratch, 'empty'), { recursive: true })
  const good = loadCampaigns().find((c) => c.id === 'wal-2024')!
  writeCampaign('a', good)
  writeCampaign('b', good)
  expect(() => loadCampaigns(scratch)).toThrow('campaign id wal-2024 is used by both a and b')
})

test('the demo window opens at today 00:00 in Asia/Shanghai and lasts ten days', () => {
  // 2024-07-16 16:30 UTC is already 07-17 00:30 in China.
  const nowMs = Date.parse('2024-07-16T16:30:00Z')
  const window = demoWindow(nowMs)
  expect(window).toEqual({
    startsAt: '2024-07-17T00:00:00+08:00',
    endsAt: '2024-07-27T00:00:00+08:00',
    timeZone: 'Asia/Shanghai',
  })
  expect(windowStatus(window, nowMs)).toBe('open')
  // Just before midnight in China it is still the previous day.
  expect(demoWindow(Date.parse('2024-07-16T15:59:59Z')).startsAt).toBe('2024-07-16T00:00:00+08:00')
})
