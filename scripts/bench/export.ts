// `npm run bench:export`: an export of 1M valid samples through the real export code
// (server/organiser/export.ts writeExport — the job's keyset pages of ≤ 1,000 by _id, the
// pseudonym, the streamed file), rows/s and peak RSS (issue 18: flat memory, under 200 MB).
// Submitting a million samples through the survey function would take hours here, so the
// responses are written straight into the store as the survey leaves them (valid answers to the
// main section, region, attribution), 90% of them valid. The fill runs in this process into a
// SQLite file; the export runs in a fresh child on that file (scripts/bench/export-child.ts,
// bundled and run in plain Node as a deployed function is), so its RSS is the export's — the
// local database included: on CloudBase it lives elsewhere.
// BENCH_QUICK=1: 100k responses; BENCH_SIZE=<n> any size; BENCH_FORMAT=xlsx the XLSX export
// (default CSV); BENCH_STORE=<file> keeps the filled store there and reuses it on the next run;
// BENCH_HEAP_MB=<n> runs the child with --max-old-space-size=<n> (a heap sized like a container's).
import { fork } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { build } from 'esbuild'
import type { Questionnaire, VersionId } from 'wal-core'
import { startLocalCloud } from '../../emulator'
import type { Doc } from '../../emulator/db/wire'
import { questionnaireFor } from '../../server/records/campaigns'
import { RESPONSES } from '../../server/records/responses'
import { DEMO_CAMPAIGN_ID, seed } from '../seed'
import { REGIONS, seededRandom, validMainAnswers } from './answers'
import type { ExportRun } from './export-child'

const QUICK = Boolean(process.env.BENCH_QUICK)
const RESPONSES_STORED = Number(process.env.BENCH_SIZE) || (QUICK ? 100_000 : 1_000_000)
const FORMAT: 'csv' | 'xlsx' = process.env.BENCH_FORMAT === 'xlsx' ? 'xlsx' : 'csv'
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

/** The valid samples in a store filled by an earlier run (BENCH_STORE). */
function validStored(file: string): number {
  const local = startLocalCloud({ file })
  const valid = local.store.count(RESPONSES, { campaignId: DEMO_CAMPAIGN_ID, 'sample.valid': true })
  console.log(`reusing ${file}: ${valid.toLocaleString('en')} valid samples`)
  local.close()
  return valid
}

const REPO_ROOT = path.resolve(__dirname, '../..')

/**
 * The child as a bundle, like a function's: placed under node_modules/.cache so that its
 * externals resolve to the project's node_modules (the SDK instance the local cloud patches).
 */
async function bundleChild(): Promise<string> {
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'wal-bench')
  mkdirSync(dir, { recursive: true })
  const outfile = path.join(dir, 'export-child.js')
  await build({
    entryPoints: [path.join(__dirname, 'export-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['better-sqlite3', 'wx-server-sdk', '@cloudbase/node-sdk', '@cloudbase/database'],
    tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  })
  return outfile
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wal-bench-export-'))
  const kept = process.env.BENCH_STORE
  const file = kept ?? path.join(dir, 'store.sqlite')
  const heapMb = Number(process.env.BENCH_HEAP_MB) || undefined
  try {
    const valid = kept && existsSync(kept) ? validStored(kept) : await fill(file)
    const child = fork(await bundleChild(), [], {
      execArgv: heapMb ? [`--max-old-space-size=${heapMb}`] : [],
      env: {
        ...process.env,
        BENCH_EXPORT_CHILD: file,
        BENCH_EXPORT_OUT: path.join(dir, `samples.${FORMAT}`),
        BENCH_CAMPAIGN: DEMO_CAMPAIGN_ID,
        BENCH_MARK_EVERY: String(Math.max(10_000, RESPONSES_STORED / 10)),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    const r = await new Promise<ExportRun>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ExportRun))
      child.once('exit', (code) => code && reject(new Error(`export child exited ${code}`)))
    })
    if (r.rows !== valid) throw new Error(`exported ${r.rows} rows, ${valid} valid samples stored`)
    const mb = (bytes: number) => (bytes / MB).toFixed(0)
    const peakMb = r.peak / MB
    console.log(
      `\nexport (${FORMAT.toUpperCase()}, committee scope${heapMb ? `, heap ${heapMb} MB` : ''}): ` +
        `${r.rows.toLocaleString('en')} rows in ${r.seconds.toFixed(0)} s = ` +
        `${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s; file ${mb(r.bytes)} MB`,
    )
    console.log(
      `RSS: ${mb(r.atStart)} MB before, peak ${peakMb.toFixed(0)} MB; by rows (RSS/heap): ` +
        r.marks.map((m) => `${m.rows / 1000}k ${mb(m.rss)}/${mb(m.heapUsed)}`).join(', '),
    )
    const steady = r.afterMajorGc.slice(1) // the first collection still holds the start-up
    console.log(
      `heap after each major GC (${r.afterMajorGc.length}): ` +
        (steady.length
          ? `${mb(Math.min(...steady))}–${mb(Math.max(...steady))} MB, first ${mb(steady[0]!)}, ` +
            `last ${mb(steady[steady.length - 1]!)}`
          : 'none after the first'),
    )
    const growth =
      r.marks.length >= 2 ? (r.marks[r.marks.length - 1]!.rss - r.marks[0]!.rss) / MB : 0
    console.log(
      `goal (peak RSS under ${RSS_GOAL_MB} MB, flat): ${peakMb.toFixed(0)} MB, ` +
        `${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MB from the first to the last mark: ` +
        `${peakMb < RSS_GOAL_MB ? 'met' : 'NOT met'}` +
        (RESPONSES_STORED < 1_000_000 ? ` (${RESPONSES_STORED / 1000}k stored, not 1M)` : ''),
    )
    if (peakMb >= RSS_GOAL_MB && RESPONSES_STORED >= 1_000_000) process.exitCode = 1
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
