// The measured side of `npm run bench:export`: the export alone (writeExport) on a filled store
// file, in a process of its own with its memory watched. scripts/bench/export.ts bundles this file
// with esbuild and runs it in plain Node, as CloudBase runs a function's bundle — not under tsx,
// whose loader thread alone adds ~45 MB. It must not import scripts/seed: a bundle is its own
// require.main, and the seed's command line would run.
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { statSync } from 'node:fs'
import { startLocalCloud } from '../../emulator'
import { writeExport } from '../../server/organiser/export'

/** What the child reports to the parent. */
export interface ExportRun {
  rows: number
  seconds: number
  /** RSS with the modules loaded and the local cloud open, before the first row. */
  atStart: number
  peak: number
  /** The heap after each major collection: what the process keeps, without its garbage. */
  afterMajorGc: number[]
  marks: Array<{ rows: number; rss: number; heapUsed: number }>
  bytes: number
}

async function main(): Promise<void> {
  const file = process.env.BENCH_EXPORT_CHILD!
  const out = process.env.BENCH_EXPORT_OUT!
  const format = process.env.BENCH_FORMAT === 'xlsx' ? 'xlsx' : 'csv'
  const markEvery = Number(process.env.BENCH_MARK_EVERY) || 100_000
  const afterMajorGc: number[] = []
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        afterMajorGc.push(process.memoryUsage().heapUsed)
    }
  })
  gcs.observe({ entryTypes: ['gc'] })
  const local = startLocalCloud({ file })
  let peak = process.memoryUsage().rss
  const atStart = peak
  const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50)
  const marks: ExportRun['marks'] = []
  let nextMark = markEvery
  const t0 = performance.now()
  const rows = await writeExport(process.env.BENCH_CAMPAIGN!, null, format, out, async (n) => {
    const { rss, heapUsed } = process.memoryUsage()
    peak = Math.max(peak, rss)
    if (n >= nextMark) {
      marks.push({ rows: n, rss, heapUsed })
      nextMark += markEvery
    }
  })
  const seconds = (performance.now() - t0) / 1000
  clearInterval(watch)
  gcs.disconnect()
  local.close()
  const run: ExportRun = {
    rows,
    seconds,
    atStart,
    peak: Math.max(peak, process.resourceUsage().maxRSS * 1024),
    afterMajorGc,
    marks,
    bytes: statSync(out).size,
  }
  process.send!(run)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
