// `npm run bench:hostile`: what hostile input costs through the local gateway (issue 14 §3).
//
// (a) One ~1 MB submitSection of unknown answer keys against one normal (valid) submission,
//     each sent alone, one at a time: the ratio of their median latencies (goal ≤ 10×).
// (b) Another caller's wallet.balance, one at a time: p50 alone, and p50 while 24 such hostile
//     requests are kept in flight (goal ≤ 2×).
// Both are measured on the gateway as it is (body limits: survey 256 KiB, others 64 KiB) and,
// printed beside it for comparison but not judged, with the survey's body limit raised to 2 MiB
// (what the function's own bounds do alone). The server runs in a forked child (built bundles,
// SQLite file in a temp dir); the load generator here; 127.0.0.1 only; every run bounded.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Questionnaire, SectionAnswers } from 'wal-core'
import { loadCampaigns, loadQuestionnaire } from '../../campaigns/load'
import { startLocalCloud } from '../../emulator'
import { createFunctionHost } from '../../emulator/function-host'
import { createGateway, DEFAULT_BODY_LIMITS } from '../../emulator/gateway'
import { newResponse, RESPONSES } from '../../server/records/responses'
import { buildFunctions } from '../build/functions'
import { DEMO_CAMPAIGN_ID, seed } from '../seed'
import { seededRandom, validMainAnswers } from './answers'
import { HttpPool, type HttpReply, type HttpRequest } from './http-client'
import {
  listenAndReport,
  median,
  runBench,
  serveParent,
  startServer,
  stopServer,
  TIME_LIMIT_MS,
} from './load'
import { percentile } from './stats'

type Target = 'bounded' | 'unbounded'

/** Sequential requests per kind in (a), and balance calls per phase in (b). */
const SAMPLES = Number(process.env.BENCH_SAMPLES || 30)
const BALANCES = Number(process.env.BENCH_BALANCES || 200)
const IN_FLIGHT = 24
const HOSTILE_BYTES = 1_000_000
const GOAL = { cost: 10, balance: 2 }
/** Normal respondents, started ten minutes before (not speeders), one per normal submission. */
const RESPONDENTS = SAMPLES + 5

const normalOpenid = (i: number) => `obenchnormal${i}`
const HOSTILE_OPENID = 'obenchhostile'
const BALANCE_OPENID = 'obenchbalance'

function demoQuestionnaire(): Questionnaire {
  const demo = loadCampaigns().find((c) => c.id === DEMO_CAMPAIGN_ID)
  const q = demo && loadQuestionnaire(demo)
  if (!q) throw new Error('the demo campaign has no questionnaire')
  return q
}

// ------------------------------------------------------------------------------ server side

async function serve(target: Target): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wal-bench-hostile-'))
  const cloud = startLocalCloud({ file: path.join(dir, 'local.sqlite') })
  await seed()
  const startedAt = new Date(Date.now() - 10 * 60_000)
  const openids = [
    ...Array.from({ length: RESPONDENTS }, (_, i) => normalOpenid(i)),
    HOSTILE_OPENID,
  ]
  cloud.store.insert(
    RESPONSES,
    openids.map((openid) => ({ ...newResponse(DEMO_CAMPAIGN_ID, openid, 'public', startedAt) })),
  )
  const host = createFunctionHost({ cloud, from: 'bundle', only: ['survey', 'wallet'] })
  const app = createGateway({
    host,
    log: () => {},
    ...(target === 'unbounded' ? { bodyLimits: { survey: 2 * 1024 * 1024 } } : {}),
  })
  await listenAndReport(app)
  serveParent({}, async () => {
    await app.close()
    cloud.close()
    rmSync(dir, { recursive: true, force: true })
  })
}

// ------------------------------------------------------------------------------ load side

/** A submitSection of ~`bytes` of unknown answer keys (what the issue measured: ~1 MB). */
function hostileBody(bytes: number): string {
  const answers: Record<string, string> = {}
  let size = 0
  for (let i = 0; size < bytes; i++) {
    const key = `q${i}`.padEnd(16, 'x')
    answers[key] = 'y'.repeat(8)
    size += key.length + 14
  }
  return JSON.stringify({
    action: 'submitSection',
    sectionId: 'main',
    answers,
    requestId: 'bench-hostile-000',
  })
}

function submit(openid: string, body: string): HttpRequest {
  return { path: '/functions/survey', body, headers: { 'x-wx-openid': openid } }
}

const BALANCE: HttpRequest = {
  path: '/functions/wallet',
  body: '{"action":"balance"}',
  headers: { 'x-wx-openid': BALANCE_OPENID },
}

function codeOf(reply: HttpReply): string {
  try {
    const body = JSON.parse(reply.body) as { ok?: boolean; error?: { code?: string } }
    return body.ok ? 'ok' : (body.error?.code ?? `HTTP ${reply.status}`)
  } catch {
    return `HTTP ${reply.status}`
  }
}

async function timed(pool: HttpPool, req: HttpRequest): Promise<{ ms: number; reply: HttpReply }> {
  const t0 = process.hrtime.bigint()
  const reply = await pool.post(req)
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, reply }
}

interface CostFigures {
  normalMs: number
  normalCode: string
  hostileMs: number
  hostileCode: string
  hostileStatus: number
  hostileReplyBytes: number
}

/** (a): normal and hostile submissions, alternating, one at a time; medians. */
async function measureCost(
  port: number,
  normals: string[],
  hostile: string,
  deadline: number,
): Promise<CostFigures> {
  const pool = new HttpPool(port, 1)
  const normal: number[] = []
  const bad: number[] = []
  let normalCode = ''
  let last: HttpReply | undefined
  try {
    // Warm both paths (bundle code, zod, SQLite pages) before anything counts.
    await timed(pool, submit(HOSTILE_OPENID, hostile))
    await timed(pool, submit(normalOpenid(SAMPLES), normals[SAMPLES]!))
    for (let i = 0; i < SAMPLES && Date.now() < deadline; i++) {
      const n = await timed(pool, submit(normalOpenid(i), normals[i]!))
      normalCode = codeOf(n.reply)
      if (normalCode !== 'ok') throw new Error(`a normal submission failed: ${n.reply.body}`)
      normal.push(n.ms)
      const h = await timed(pool, submit(HOSTILE_OPENID, hostile))
      bad.push(h.ms)
      last = h.reply
    }
  } finally {
    pool.destroy()
  }
  return {
    normalMs: median(normal),
    normalCode,
    hostileMs: median(bad),
    hostileCode: last ? codeOf(last) : '-',
    hostileStatus: last?.status ?? 0,
    hostileReplyBytes: last ? Buffer.byteLength(last.body) : 0,
  }
}

interface BalanceFigures {
  aloneP50: number
  loadedP50: number
  loadedP99: number
  hostileSent: number
}

async function balanceP50s(port: number, count: number, deadline: number) {
  const pool = new HttpPool(port, 1)
  const ms: number[] = []
  try {
    for (let i = 0; i < count && Date.now() < deadline; i++) {
      const r = await timed(pool, BALANCE)
      if (codeOf(r.reply) !== 'ok') throw new Error(`wallet.balance failed: ${r.reply.body}`)
      ms.push(r.ms)
    }
  } finally {
    pool.destroy()
  }
  const sorted = ms.sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }
}

/** (b): balance alone, then with IN_FLIGHT hostile requests kept in flight. */
async function measureBalance(
  port: number,
  hostile: string,
  deadline: number,
): Promise<BalanceFigures> {
  await balanceP50s(port, 20, deadline) // warm-up
  const alone = await balanceP50s(port, BALANCES, deadline)
  const flood = new HttpPool(port, IN_FLIGHT)
  let stop = false
  let sent = 0
  const loops = Array.from({ length: IN_FLIGHT }, async () => {
    while (!stop && Date.now() < deadline) {
      await flood.post(submit(HOSTILE_OPENID, hostile)).catch(() => undefined)
      sent++
    }
  })
  // Let the flood reach the server before the calls that count.
  while (sent < IN_FLIGHT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
  let loaded: { p50: number; p99: number }
  try {
    loaded = await balanceP50s(port, BALANCES, deadline)
  } finally {
    stop = true
    await Promise.all(loops)
    flood.destroy()
  }
  return { aloneP50: alone.p50, loadedP50: loaded.p50, loadedP99: loaded.p99, hostileSent: sent }
}

const fmt = (ms: number) => ms.toFixed(2)
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`

async function bench(): Promise<void> {
  await buildFunctions({ only: ['survey', 'wallet'] }) // served from the bundles, as npm start
  const q = demoQuestionnaire()
  const random = seededRandom(14)
  const normals = Array.from({ length: RESPONDENTS }, (_, i) =>
    JSON.stringify({
      action: 'submitSection',
      sectionId: 'main',
      answers: validMainAnswers(q, 'public', random) satisfies SectionAnswers,
      requestId: `bench-normal-${String(i).padStart(4, '0')}`,
    }),
  )
  const hostile = hostileBody(HOSTILE_BYTES)
  const nearLimit = hostileBody(DEFAULT_BODY_LIMITS.survey! - 2_000)
  console.log(
    `hostile-input benchmark: gateway on the built survey and wallet bundles, SQLite file in a ` +
      `temp dir, server in a child process, 127.0.0.1, keep-alive. (a) ${SAMPLES} normal main-section ` +
      `submissions (${normals[0]!.length} B, each a new respondent) alternating with ${SAMPLES} ` +
      `hostile ones, one at a time, medians; (b) ${BALANCES} wallet.balance one at a time, alone ` +
      `and with ${IN_FLIGHT} hostile submissions kept in flight. Node ${process.version}`,
  )
  const bodies = [
    { label: `~1 MB (${hostile.length} B)`, body: hostile },
    { label: `near the survey limit (${nearLimit.length} B)`, body: nearLimit },
  ]
  const verdicts: boolean[] = []
  for (const target of ['bounded', 'unbounded'] as const) {
    console.log(
      target === 'bounded'
        ? `\ngateway as configured (survey ${DEFAULT_BODY_LIMITS.survey} B, others 65536 B):`
        : `\nsurvey body limit raised to 2 MiB (for comparison; not judged):`,
    )
    for (const { label, body } of bodies) {
      if (target === 'unbounded' && body === nearLimit) continue
      const server = await startServer(__filename, ['--serve', target], target)
      try {
        const deadline = Date.now() + TIME_LIMIT_MS
        const cost = await measureCost(server.port, normals, body, deadline)
        const load = await measureBalance(server.port, body, deadline)
        const costRatio = cost.hostileMs / cost.normalMs
        const balanceRatio = load.loadedP50 / load.aloneP50
        const judged = target === 'bounded'
        if (judged) verdicts.push(costRatio <= GOAL.cost, balanceRatio <= GOAL.balance)
        const mark = (ok: boolean) => (judged ? (ok ? ' — met' : ' — MISSED') : '')
        console.log(
          `  hostile body ${label}: reply HTTP ${cost.hostileStatus} ${cost.hostileCode}, ` +
            `${cost.hostileReplyBytes} B`,
        )
        console.log(
          `    (a) one submission: normal ${fmt(cost.normalMs)} ms (${cost.normalCode}), hostile ` +
            `${fmt(cost.hostileMs)} ms → ${ratio(cost.hostileMs, cost.normalMs)} ` +
            `(goal ≤ ${GOAL.cost}×)${mark(costRatio <= GOAL.cost)}`,
        )
        console.log(
          `    (b) wallet.balance p50: alone ${fmt(load.aloneP50)} ms, with ${IN_FLIGHT} hostile ` +
            `in flight ${fmt(load.loadedP50)} ms (p99 ${fmt(load.loadedP99)} ms; ` +
            `${load.hostileSent} hostile sent) → ${ratio(load.loadedP50, load.aloneP50)} ` +
            `(goal ≤ ${GOAL.balance}×)${mark(balanceRatio <= GOAL.balance)}`,
        )
      } finally {
        await stopServer(server.child)
      }
    }
  }
  const met = verdicts.every(Boolean)
  console.log(
    `\n${met ? 'all goals met' : 'a goal was missed'} (ratios judged; times are this run's)`,
  )
}

runBench<Target>(serve, bench)
