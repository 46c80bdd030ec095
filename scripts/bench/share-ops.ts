// Database operations of one share-code submission and of one draw, counted in-process on an
// in-memory local cloud (the seeded demo campaign and organisation): what CloudBase bills per
// request, independent of the machine's speed. Used by bench:submit and bench:draw.
import {
  CODE_STAT_SHARDS,
  NODE_STAT_SHARDS,
  STAT_SHARDS,
  questionnaireSchema,
  shardOf,
} from 'wal-core'
import { startLocalCloud } from '../../emulator'
import { createFunctionHost } from '../../emulator/function-host'
import { setClockForTests } from '../../server/db'
import { clearConfigCache } from '../../server/records/config-cache'
import { questionnaireFor } from '../../server/records/campaigns'
import { seed } from '../seed'
import { seededRandom, validMainAnswers } from './answers'

/** SDK requests by action of the last call, and their sum. */
export interface OpsCount {
  total: number
  byAction: Record<string, number>
}

const VOLUNTEER = 'o-demo-volunteer'

/**
 * Ops of a valid main section submitted through the seeded volunteer's share code (its chain:
 * unit → city unit → station → team), by a respondent whose counter documents earlier ones
 * created (a document's first use adds a set).
 */
export async function shareSubmissionOps(warm = 20): Promise<OpsCount> {
  const seededAt = Date.parse('2025-03-01T10:00:00+08:00')
  const clock = { now: seededAt + 3_600_000 }
  const local = startLocalCloud()
  setClockForTests(() => clock.now)
  clearConfigCache()
  try {
    await seed({ nowMs: seededAt })
    const host = createFunctionHost({ cloud: local, from: 'source', only: ['survey', 'volunteer'] })
    const call = async (fn: string, openid: string, body: object) => {
      const reply = (await host.invoke(fn, body as Record<string, unknown>, { openid })) as {
        ok: boolean
        data?: unknown
        error?: unknown
      }
      if (!reply.ok) throw new Error(`${fn}: ${JSON.stringify(reply.error)}`)
      return reply.data as Record<string, unknown>
    }
    const { code } = (await call('volunteer', VOLUNTEER, {
      action: 'ensureCode',
      nodeId: 'gz-tianhe-t1',
      requestId: 'share-ops-code',
    })) as { code: string }
    const q = questionnaireSchema.parse(await questionnaireFor('demo'))
    const answers = validMainAnswers(q, 'public', seededRandom(7))
    const submit = async (openid: string, i: number) => {
      await call('survey', openid, {
        action: 'start',
        version: 'public',
        scene: `c=${code}`,
        requestId: `share-ops-start-${i}`,
      })
      clock.now += 600_000
      local.store.resetOps()
      const reply = await call('survey', openid, {
        action: 'submitSection',
        sectionId: 'main',
        answers,
        requestId: `share-ops-submit-${i}`,
      })
      if (reply.valid !== true) throw new Error(`submission ${i} not valid`)
    }
    const warmed = Array.from({ length: warm }, (_, i) => `o-share-ops-${i}`)
    for (const [i, openid] of warmed.entries()) await submit(openid, i)
    // The measured respondent shares every counter document with someone before them.
    const shards = (o: string) =>
      [STAT_SHARDS, NODE_STAT_SHARDS, CODE_STAT_SHARDS].map((n) => shardOf(o, n)).join(':')
    const seen = new Set(warmed.map(shards))
    let measured = ''
    for (let j = 0; !measured; j++)
      if (seen.has(shards(`o-share-ops-m${j}`))) measured = `o-share-ops-m${j}`
    await submit(measured, warm)
    const byAction = { ...local.store.ops }
    const ops = { total: Object.values(byAction).reduce((a, b) => a + b, 0), byAction }
    return ops
  } finally {
    setClockForTests(undefined)
    local.close()
  }
}

if (require.main === module) {
  shareSubmissionOps().then((o) => console.log(o))
}
