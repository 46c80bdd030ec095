// `npm run bench:export`: an export of 1M valid samples through the real export code
// (server/organiser/export.ts writeExport — the job's pages of ≤ 1,000 by _id, the pseudonym, the
// streamed CSV), rows/s and peak RSS (issue 18: flat memory, under 200 MB). Submitting a million
// samples through the survey function would take hours here, so the responses are written
// straight into the store as the survey leaves them (valid answers to the main section, region,
// attribution), 90% of them valid. The fill runs in this process into a SQLite file; the export
// runs in a fresh child process on that file, so its RSS is the export's (the local database
// included: on CloudBase it lives elsewhere). BENCH_QUICK=1: 100k responses.
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Questionnaire, VersionId } from 'wal-core'
import { startLocalCloud } from '../../emulator'
import type { Doc } from '../../emulator/db/wire'
import { writeExport } from '../../server/organiser/export'
import { questionnaireFor } from '../../server/records/campaigns'
import { RESPONSES } from '../../server/records/responses'
import { DEMO_CAMPAIGN_ID, seed } from '../seed'
import { REGIONS, seededRandom, validMainAnswers } from './answers'

const QUICK = Boolean(process.env.BENCH_QUICK)
const RESPONSES_STORED = QUICK ? 100_000 : 1_000_000
const RSS_GOAL_MB = 200
const BATCH = 5_000
const MB = 1024 * 1024

async function fill(file: string): Promise<number> {
  const local = startLocalCloud({ file })
  const nowMs = Date.now()
  await seed({ nowMs })
  const q: Questionnaire = await questionnaireFor(DEMO_CAMPAIGN_ID)
  const random = seededRandom(18)
  const versions = q.versions.map((v) => v.id as VersionId)
  // A pool of answer sets, reused: generating a million would measure the generator.
  const pool = Array.from({ length: 500 }, (_, i) => {
    const version = versions[i % versions.length]!
    return { version, answers: validMainAnswers(q, version, random) }
  })
  const sectionOf = (version: VersionId) =>
    q.versions.find((v) => v.id === version)!.sections[0]!.id
  let valid = 0
  const t0 = performance.now()
  for (let i = 0; i < RESPONSES_STORED; i += BATCH) {
    const docs: Doc[] = []
    for (let k = i; k < Math.min(i + BATCH, RESPONSES_STORED); k++) {
      const { version, answers } = pool[k % pool.length]!
      const region = REGIONS[k % REGIONS.length]!
      const isValid = random() < 0.9
      if (isValid) valid += 1
      const at = new Date(nowMs - (k % 86_400) * 1000)
      const openid = `o-bench-${String(k).padStart(7, '0')}`
      docs.push({
        _id: `${DEMO_CAMPAIGN_ID}:${openid}`,
        campaignId: DEMO_CAMPAIGN_ID,
        openid,
        version,
        startedAt: at,
        attribution: {
          scene: 'c=K7M3PQ2',
          code: 'K7M3PQ2',
          unitId: 'gd-gz',
          stationId: 'gz-tianhe',
          teamId: 'gz-tianhe-t1',
          nodePath: ['gd', 'gd-gz', 'gz-tianhe', 'gz-tianhe-t1'],
        },
        answers,
        sections: { [sectionOf(version)]: { submittedAt: at, durationMs: 600_000, chances: 1 } },
        rejected: {},
        chancesGranted: 1,
        lastSubmittedAt: at,
        sample: {
          valid: isValid,
          provinceCode: (region as { provinceCode?: string }).provinceCode ?? '440000',
          cityCode: (region as { cityCode?: string }).cityCode ?? '440100',
        },
      } as unknown as Doc)
    }
    local.store.insert(RESPONSES, docs)
  }
  console.log(
    `${RESPONSES_STORED.toLocaleString('en')} responses (${valid.toLocaleString('en')} valid) ` +
      `written in ${((performance.now() - t0) / 1000).toFixed(0)} s; store ` +
      `${(statSync(file).size / MB).toFixed(0)} MB`,
  )
  local.close()
  return valid
}

/** The child: the export alone, on the filled file, with its memory watched. */
async function exportPhase(file: string, out: string): Promise<void> {
  const local = startLocalCloud({ file })
  let peak = process.memoryUsage().rss
  const atStart = peak
  const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  const marks: Array<{ rows: number; rss: number }> = []
  const t0 = performance.now()
  const rows = await writeExport(DEMO_CAMPAIGN_ID, null, 'csv', out, async (n) => {
    const rss = process.memoryUsage().rss
    peak = Math.max(peak, rss)
    if (n % 100_000 === 0) marks.push({ rows: n, rss })
  })
  const seconds = (performance.now() - t0) / 1000
  clearInterval(watch)
  local.close()
  process.send!({
    rows,
    seconds,
    atStart,
    peak,
    maxRss: process.resourceUsage().maxRSS * 1024,
    marks,
    bytes: statSync(out).size,
  })
}

async function main(): Promise<void> {
  if (process.env.BENCH_EXPORT_CHILD) {
    await exportPhase(process.env.BENCH_EXPORT_CHILD, process.env.BENCH_EXPORT_OUT!)
    return
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'wal-bench-export-'))
  const file = path.join(dir, 'store.sqlite')
  try {
    const valid = await fill(file)
    const child = fork(__filename, [], {
      env: {
        ...process.env,
        BENCH_EXPORT_CHILD: file,
        BENCH_EXPORT_OUT: path.join(dir, 'samples.csv'),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const r = await new Promise<{
      rows: number
      seconds: number
      atStart: number
      peak: number
      maxRss: number
      marks: Array<{ rows: number; rss: number }>
      bytes: number
    }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as never))
      child.once('exit', (code) => code && reject(new Error(`export child exited ${code}`)))
    })
    if (r.rows !== valid) throw new Error(`exported ${r.rows} rows, ${valid} valid samples stored`)
    const peakMb = Math.max(r.peak, r.maxRss) / MB
    console.log(
      `\nexport (CSV, committee scope): ${r.rows.toLocaleString('en')} rows in ` +
        `${r.seconds.toFixed(0)} s = ${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s; ` +
        `file ${(r.bytes / MB).toFixed(0)} MB`,
    )
    console.log(
      `RSS: ${(r.atStart / MB).toFixed(0)} MB before, peak ${peakMb.toFixed(0)} MB; by rows: ` +
        r.marks.map((m) => `${m.rows / 1000}k ${(m.rss / MB).toFixed(0)}`).join(', '),
    )
    const growth =
      r.marks.length >= 2 ? (r.marks[r.marks.length - 1]!.rss - r.marks[0]!.rss) / MB : 0
    console.log(
      `goal (peak RSS under ${RSS_GOAL_MB} MB, flat): ${peakMb.toFixed(0)} MB, ` +
        `${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB from the first to the last mark: ` +
        `${peakMb < RSS_GOAL_MB ? 'met' : 'NOT met'}${QUICK ? ' (quick mode: 100k)' : ''}`,
    )
    if (peakMb >= RSS_GOAL_MB && !QUICK) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
