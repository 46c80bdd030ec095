// How the export job reads and writes (server/organiser/export.ts writeExport) on the local
// cloud: a keyset walk — every query `_id > last` ordered by _id, at most 1,000 rows, only the
// exported fields, never an offset — and one row per valid sample in the file; an XLSX sheet
// goes into the zip through a stream the export can wait on (exceljs itself never waits). The
// organiser suite covers the job through the function (scopes, codebook, no openid).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Questionnaire, VersionId } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import type { Doc } from '../../emulator/db/wire'
import { setClockForTests } from '../../server/db'
import { clearPseudonymKey } from '../../server/organiser/access'
import { EXPORT_PAGE, writeExport, zipInputOf } from '../../server/organiser/export'
import { questionnaireFor } from '../../server/records/campaigns'
import { clearConfigCache } from '../../server/records/config-cache'
import { RESPONSES } from '../../server/records/responses'
import { seededRandom, validMainAnswers } from '../../scripts/bench/answers'
import { DEMO_CAMPAIGN_ID, seed } from '../../scripts/seed'

const SEEDED_AT = Date.parse('2025-03-01T10:00:00+08:00')
const STORED = 2_345
let local: LocalCloud
let dir: string
let valid = 0
let q: Questionnaire

beforeAll(async () => {
  local = startLocalCloud()
  setClockForTests(() => SEEDED_AT + 3_600_000)
  clearConfigCache()
  clearPseudonymKey()
  await seed({ nowMs: SEEDED_AT })
  dir = mkdtempSync(path.join(tmpdir(), 'wal-export-paging-'))
  q = await questionnaireFor(DEMO_CAMPAIGN_ID)
  const random = seededRandom(7)
  const version = q.versions[0]!.id as VersionId
  const mainId = q.versions[0]!.sections[0]!.id
  const answers = validMainAnswers(q, version, random)
  const at = new Date(SEEDED_AT)
  const docs: Doc[] = []
  for (let k = 0; k < STORED; k++) {
    const isValid = k % 10 !== 3
    if (isValid) valid += 1
    const openid = `o-page-${String(k).padStart(5, '0')}`
    docs.push({
      _id: `${DEMO_CAMPAIGN_ID}:${openid}`,
      campaignId: DEMO_CAMPAIGN_ID,
      openid,
      version,
      startedAt: at,
      attribution: { scene: null, code: null, unitId: 'gd-gz', stationId: null },
      answers,
      sections: {
        [mainId]: {
          status: isValid ? 'valid' : 'invalid',
          flags: [],
          reasons: {},
          submittedAt: at,
          durationMs: 600_000,
          chances: 1,
          paradata: { note: 'x'.repeat(200) },
        },
      },
      rejected: {},
      chancesGranted: 1,
      lastSubmittedAt: at,
      sample: { valid: isValid, provinceCode: '440000', cityCode: '440100' },
    } as unknown as Doc)
  }
  local.store.insert(RESPONSES, docs)
})

afterAll(() => {
  local.close()
  rmSync(dir, { recursive: true, force: true })
})

it('walks the valid samples by keyset, at most 1,000 per query, reading only the exported fields', async () => {
  const spy = jest.spyOn(local.store, 'findEncoded')
  const file = path.join(dir, 'samples.csv')
  const progress: number[] = []
  const rows = await writeExport(DEMO_CAMPAIGN_ID, null, 'csv', file, async (n) => {
    progress.push(n)
  })
  const pages = spy.mock.calls
    .filter(([coll]) => coll === RESPONSES)
    .map(([, query, options]) => ({ query, options: options ?? {} }))
  spy.mockRestore()

  expect(rows).toBe(valid)
  const lines = readFileSync(file, 'utf8').split('\r\n').filter(Boolean)
  expect(lines).toHaveLength(valid + 1) // the header
  expect(lines.some((l) => l.includes('o-page-'))).toBe(false) // pseudonyms, never openids

  expect(pages).toHaveLength(Math.ceil(valid / EXPORT_PAGE))
  expect(EXPORT_PAGE).toBeLessThanOrEqual(1_000)
  let last = ''
  for (const [i, { query, options }] of pages.entries()) {
    expect(query).toEqual({
      campaignId: DEMO_CAMPAIGN_ID,
      'sample.valid': true,
      _id: { $gt: last },
    })
    expect(options.order).toEqual({ _id: 1 })
    expect(options.limit).toBe(EXPORT_PAGE)
    expect(options.offset ?? 0).toBe(0)
    // Only what a row needs: the main section's time, not its paradata or the other sections.
    expect(Object.keys(options.projection ?? {}).sort()).toEqual(
      [
        'answers',
        'attribution',
        'openid',
        'sample',
        'version',
        ...new Set(q.versions.map((v) => `sections.${v.sections[0]!.id}.submittedAt`)),
      ].sort(),
    )
    last = lastValidId(progress[i]!)
  }
  expect(progress).toEqual(pages.map((_, i) => Math.min((i + 1) * EXPORT_PAGE, valid)))
})

/** The _id of the n-th valid sample (1-based) in _id order: every tenth from the fourth is invalid. */
function lastValidId(n: number): string {
  let seen = 0
  for (let k = 0; k < STORED; k++) {
    if (k % 10 === 3) continue
    seen += 1
    if (seen === n) return `${DEMO_CAMPAIGN_ID}:o-page-${String(k).padStart(5, '0')}`
  }
  throw new Error(`fewer than ${n} valid samples`)
}

it('writes the XLSX export with one row per valid sample and its codebook sheet', async () => {
  const file = path.join(dir, 'samples.xlsx')
  expect(await writeExport(DEMO_CAMPAIGN_ID, null, 'xlsx', file, async () => {})).toBe(valid)
  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(file)
  expect(book.getWorksheet('samples')!.rowCount).toBe(valid + 1)
  expect(book.getWorksheet('codebook')!.rowCount).toBeGreaterThan(1)
})

it("reaches the stream exceljs pipes a worksheet into the zip (the XLSX export's back-pressure)", async () => {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path.join(dir, 'probe.xlsx') })
  const sheet = book.addWorksheet('probe')
  const input = zipInputOf(sheet)
  expect(typeof input.write).toBe('function')
  sheet.addRow(['a', 1]).commit()
  sheet.commit()
  await book.commit()
})
