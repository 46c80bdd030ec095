// The survey function on the in-memory local cloud: one response per user, sections accepted once,
// retries harmless, window enforced, bad input refused with nothing written, screening, chances,
// statistics counters, content check, and a transaction re-run by conflicts.
import {
  STAT_SHARDS,
  progressSchema,
  shardOf,
  startReplySchema,
  submitReplySchema,
  sumShards,
} from 'wal-core'
import { getDb } from '../../server/db'
import { readStats } from '../../server/records/stats'
import { readResponse } from '../../server/records/responses'
import {
  CAMPAIGN,
  GUANGZHOU,
  closeSurveyWorld,
  mainAnswers,
  openSurveyWorld,
  rid,
  type SurveyWorld,
} from './survey-fixture'

let w: SurveyWorld
beforeEach(async () => {
  w = await openSurveyWorld()
})
afterEach(() => closeSurveyWorld(w))

const COLLECTIONS = [
  'responses',
  'statShards',
  'codeStats',
  'chanceAccounts',
  'chanceEntries',
  'requests',
]

/** Every document of the collections the survey writes, to prove "nothing written". */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const c of COLLECTIONS) out[c] = (await getDb().collection(c).limit(1000).get()).data
  return out
}

async function startAs(openid: string, version = 'public', scene?: string) {
  const reply = await w.call(openid, {
    action: 'start',
    version,
    requestId: rid('start'),
    ...(scene ? { scene } : {}),
  })
  if (!reply.ok) throw new Error(JSON.stringify(reply.error))
  return startReplySchema.parse(reply.data)
}

/** Submit after `seconds` of answering (the server measures time on the section). */
async function submit(
  openid: string,
  sectionId: string,
  answers: Record<string, unknown>,
  seconds = 60,
  requestId = rid('sub'),
) {
  w.clock.now += seconds * 1000
  return w.call(openid, { action: 'submitSection', sectionId, answers, requestId })
}

async function stats() {
  return readStats(CAMPAIGN.id)
}

describe('start', () => {
  it('creates the one response of a user; 50 concurrent starts still make one', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, () =>
        w.call('o-1', { action: 'start', version: 'public', requestId: rid('s') }),
      ),
    )
    expect(replies.every((r) => r.ok)).toBe(true)
    const docs = (await getDb().collection('responses').get()).data
    expect(docs).toHaveLength(1)
    expect(docs[0]).toMatchObject({ _id: `${CAMPAIGN.id}:o-1`, version: 'public' })
    expect(progressSchema.parse(replies[0]!.data.progress)).toMatchObject({
      started: true,
      nextSectionId: 'main',
    })
  })

  it('fixes the version: starting the other one is refused', async () => {
    await startAs('o-1', 'public')
    const reply = await w.call('o-1', {
      action: 'start',
      version: 'practitioner',
      requestId: rid(),
    })
    expect(reply).toMatchObject({ ok: false, error: { code: 'VERSION_LOCKED' } })
  })

  it('an unknown share code is ignored with a warning; a known one is attributed', async () => {
    const unknown = await startAs('o-1', 'public', 'NOPE123')
    expect(unknown.attributionWarning).toMatch(/未识别/)
    await getDb()
      .collection('shareCodes')
      .doc('V001')
      .set({ data: { campaignId: CAMPAIGN.id, unitId: 'gd-assoc', active: true } })
    const known = await startAs('o-2', 'public', 'V001')
    expect(known.attributionWarning).toBeNull()
    const doc = (await getDb().collection('responses').doc(`${CAMPAIGN.id}:o-2`).get()).data
    expect(doc).toMatchObject({ attribution: { code: 'V001', unitId: 'gd-assoc' } })
  })
})

describe('submitSection', () => {
  it('accepts a valid main section: answers, chances and counters in one go', async () => {
    await startAs('o-1')
    const reply = await submit('o-1', 'main', mainAnswers())
    expect(reply.ok).toBe(true)
    const data = submitReplySchema.parse(reply.data)
    expect(data).toMatchObject({
      sectionId: 'main',
      valid: true,
      flags: [],
      chancesGranted: 5,
      chancesTotal: 5,
    })
    expect(data.progress.nextSectionId).toBe('t_law')
    expect(data.progress.sections.map((s) => s.id)).toEqual(['main', 't_law', 't_shop', 't_gov']) // t_minor hidden
    // The grant is the section's record on the response; nothing is written elsewhere for it.
    expect(await readResponse(CAMPAIGN.id, 'o-1')).toMatchObject({
      chancesGranted: 5,
      sections: { main: { status: 'valid', chances: 5, chancesTotal: 5 } },
    })
    expect((await getDb().collection('chanceEntries').count()).total).toBe(0)
    expect((await getDb().collection('chanceAccounts').count()).total).toBe(0)
    const s = await stats()
    expect(s.total).toEqual({ valid: 1, invalid: 0 })
    expect(s.provinces['440000']).toEqual({ valid: 1, invalid: 0 })
    expect(s.cities['440100']).toEqual({ valid: 1, invalid: 0 })
    expect(s.days['20240720']).toEqual({ valid: 1, invalid: 0 })
  })

  it('the same requestId again — even 20 times at once — has one effect and the same reply', async () => {
    await startAs('o-1')
    w.clock.now += 60_000
    const event = {
      action: 'submitSection',
      sectionId: 'main',
      answers: mainAnswers(),
      requestId: 'same-request-1',
    }
    const first = await w.call('o-1', event)
    const again = await Promise.all(Array.from({ length: 20 }, () => w.call('o-1', event)))
    for (const r of again) expect(r).toEqual(first)
    expect((await stats()).total).toEqual({ valid: 1, invalid: 0 })
    expect(await readResponse(CAMPAIGN.id, 'o-1')).toMatchObject({ chancesGranted: 5 })
  })

  it('a section is accepted once: a second submission with a new requestId is SECTION_DONE', async () => {
    await startAs('o-1')
    await submit('o-1', 'main', mainAnswers())
    expect(await submit('o-1', 'main', mainAnswers())).toMatchObject({
      ok: false,
      error: { code: 'SECTION_DONE' },
    })
    expect((await stats()).total.valid).toBe(1)
  })

  it('a transaction re-run by conflicts still commits one effect', async () => {
    await startAs('o-1')
    w.cloud.store.injectTransactionConflicts(2)
    const reply = await submit('o-1', 'main', mainAnswers())
    expect(reply.ok).toBe(true)
    expect((await stats()).total.valid).toBe(1)
    expect(await readResponse(CAMPAIGN.id, 'o-1')).toMatchObject({ chancesGranted: 5 })
  })

  it('topics add chances up to the cap, and only after the main section', async () => {
    await startAs('o-1')
    expect(await submit('o-1', 't_law', { tl_know: 3, tl_fair: 4 })).toMatchObject({
      error: { code: 'SECTION_NOT_AVAILABLE' },
    })
    await submit('o-1', 'main', mainAnswers())
    const granted = []
    for (const [id, answers] of [
      ['t_law', { tl_know: 3, tl_fair: 4 }],
      ['t_shop', { ts_sat: 4 }],
      ['t_gov', { tg_sat: 5 }],
    ] as const) {
      const r = await submit('o-1', id, answers, 30)
      granted.push(r.data.chancesGranted)
    }
    expect(granted).toEqual([1, 1, 0]) // cap 7 = 5 + 1 + 1
    const progress = progressSchema.parse((await w.call('o-1', { action: 'myResponse' })).data)
    expect(progress).toMatchObject({ chancesTotal: 7, chancesCap: 7, nextSectionId: null })
    expect((await stats()).topics.t_law).toEqual({ valid: 1, invalid: 0 })
  })

  it('a topic hidden by display logic is not available', async () => {
    await startAs('o-1')
    await submit('o-1', 'main', mainAnswers({ m_parent: 'no' }))
    expect(await submit('o-1', 't_minor', { tm_mode: 3 })).toMatchObject({
      error: { code: 'SECTION_NOT_AVAILABLE' },
    })
  })

  it('refuses invalid answers with inline errors and writes only the attempt count', async () => {
    await startAs('o-1')
    const before = await snapshot()
    const reply = await submit(
      'o-1',
      'main',
      mainAnswers({ m_job: 'other', m_security: undefined, m_fraud: 'yes' }),
    )
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    expect(reply.error.details.errors).toMatchObject({
      m_job: { code: 'other_required' },
      m_security: { code: 'required' },
      m_fraud_kind: { code: 'required' }, // shown by display logic, so now required
    })
    const after = await snapshot()
    expect(after.statShards).toEqual(before.statShards)
    expect(after.chanceEntries).toEqual(before.chanceEntries)
    expect(after.responses?.[0]).toMatchObject({ rejected: { main: 1 }, sections: {} })
  })

  it('bad input of every kind is BAD_REQUEST and nothing is written', async () => {
    await startAs('o-1')
    const before = await snapshot()
    const bad: Array<Record<string, unknown>> = [
      { action: 'submitSection', sectionId: 'main', answers: mainAnswers() }, // no requestId
      { action: 'submitSection', sectionId: 'main', answers: mainAnswers(), requestId: 'x' }, // too short
      { action: 'submitSection', sectionId: 'Main!', answers: {}, requestId: rid() },
      { action: 'submitSection', sectionId: 'main', answers: 'everything', requestId: rid() },
      {
        action: 'submitSection',
        sectionId: 'main',
        answers: { m_age: { $gt: '' } },
        requestId: rid(),
      },
      { action: 'start', version: 'enterprise', requestId: rid() },
    ]
    for (const event of bad) {
      expect(await w.call('o-1', event)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      })
    }
    expect(await snapshot()).toEqual(before)
  })

  it('submitting before start is NOT_STARTED', async () => {
    expect(await submit('o-9', 'main', mainAnswers())).toMatchObject({
      ok: false,
      error: { code: 'NOT_STARTED' },
    })
  })
})

describe('the collection window', () => {
  it.each([
    ['before it opens', '2024-07-16T23:59:00+08:00', 'CAMPAIGN_NOT_STARTED'],
    ['after 07-26 24:00', '2024-07-27T00:00:00+08:00', 'CAMPAIGN_CLOSED'],
  ])('%s, start and submit are refused with %s', async (_label, iso, code) => {
    await startAs('o-1')
    w.clock.now = Date.parse(iso)
    expect(
      await w.call('o-2', { action: 'start', version: 'public', requestId: rid() }),
    ).toMatchObject({
      error: { code },
    })
    expect(await submit('o-1', 'main', mainAnswers(), 0)).toMatchObject({ error: { code } })
  })
})

describe('quality screening', () => {
  it('a speeder is stored invalid: no chances, counted as invalid, told politely', async () => {
    await startAs('o-1')
    const reply = await submit('o-1', 'main', mainAnswers(), 5) // 9 questions shown need 18 s
    expect(reply.data).toMatchObject({ valid: false, flags: ['speeder'], chancesGranted: 0 })
    expect(reply.data.message).toMatch(/未计入有效样本/)
    expect((await stats()).total).toEqual({ valid: 0, invalid: 1 })
    expect((await getDb().collection('chanceEntries').count()).total).toBe(0)
  })

  it('straight-lining and contradictions are flagged', async () => {
    await startAs('o-1')
    const reply = await submit(
      'o-1',
      'main',
      mainAnswers({
        m_age: 'under18',
        m_job: 'retired',
        m_security: 3,
        m_aspects: { law: 3, privacy: 3, platform: 3 },
      }),
    )
    // Uniform, but no reverse-keyed pair in the main part contradicts: the age/job pair does.
    expect(reply.data.flags).toEqual(['contradiction'])
  })

  it('a refused submission retried with its requestId is one attempt, with the same errors', async () => {
    await startAs('o-1')
    const bad = mainAnswers({ m_age: undefined })
    const first = await submit('o-1', 'main', bad, 60, 'refused-once-1')
    const again = await Promise.all(
      Array.from({ length: 5 }, () => submit('o-1', 'main', bad, 0, 'refused-once-1')),
    )
    for (const r of again) expect(r).toEqual(first)
    const resp = (await getDb().collection('responses').doc(`${CAMPAIGN.id}:o-1`).get()).data
    expect(resp).toMatchObject({ rejected: { main: 1 } })
    expect(resp!.rejectedRequests.main).toEqual([expect.stringMatching(/^refused-once-1:/)])
  })

  it('a valid main section costs 6 database operations (each is billed on CloudBase)', async () => {
    // Someone in the same statistics shard answered before (a shard's first use adds a set).
    const neighbour = Array.from({ length: 1000 }, (_, i) => `o-n${i}`).find(
      (o) => shardOf(o, STAT_SHARDS) === shardOf('o-1', STAT_SHARDS),
    )!
    for (const openid of [neighbour, 'o-1']) await startAs(openid)
    await submit(neighbour, 'main', mainAnswers())
    w.cloud.store.resetOps()
    await submit('o-1', 'main', mainAnswers())
    // startTransaction, get response, update response (answers, section record, chances),
    // update the statistics shards of the campaign's slice and of the day's, commit (the
    // share-code counter adds one when attributed).
    expect(w.cloud.store.ops).toEqual({
      'database.startTransaction': 1,
      'database.getDocument': 1,
      'database.modifyDocument': 3,
      'database.commitTransaction': 1,
    })
  })

  it('six refused submissions (typos) then a correct one: a valid sample, the count kept for review', async () => {
    await startAs('o-1')
    for (let i = 0; i < 6; i++) await submit('o-1', 'main', mainAnswers({ m_age: undefined }), 1)
    const reply = await submit('o-1', 'main', mainAnswers())
    expect(reply.data).toMatchObject({ valid: true, flags: [], chancesGranted: 5 })
    const resp = await readResponse(CAMPAIGN.id, 'o-1')
    expect(resp!.sections.main!.signals).toMatchObject({
      rejectedAttempts: 6,
      manyRejections: true,
    })
  })
})

describe('the valid-sample rule: rewards only from valid samples', () => {
  it('topics after a speeder main are stored but grant nothing and count as invalid', async () => {
    await startAs('o-1')
    const main = await submit('o-1', 'main', mainAnswers(), 5)
    expect(main.data).toMatchObject({ valid: false, flags: ['speeder'], checks: ['作答过快'] })
    for (const topic of ['t_law', 't_shop', 't_gov']) {
      const answers =
        topic === 't_law'
          ? { tl_know: 4, tl_fair: 3 }
          : topic === 't_shop'
            ? { ts_sat: 4 }
            : { tg_sat: 4 }
      const reply = await submit('o-1', topic, answers, 120) // a normal pace
      expect(reply.ok).toBe(true)
      expect(reply.data).toMatchObject({
        valid: false,
        flags: ['main_invalid'],
        chancesGranted: 0,
        chancesTotal: 0,
      })
      expect(reply.data.message).toMatch(/主问卷未计入有效样本/)
    }
    const resp = await readResponse(CAMPAIGN.id, 'o-1')
    expect(resp!.chancesGranted).toBe(0)
    expect(resp!.answers).toMatchObject({ tl_know: 4, ts_sat: 4, tg_sat: 4 }) // kept for the committee
    const s = await stats()
    expect(s.total).toEqual({ valid: 0, invalid: 1 })
    expect(s.topics.t_law).toEqual({ valid: 0, invalid: 1 })
    expect(s.topics.t_shop).toEqual({ valid: 0, invalid: 1 })
  })

  it('a patterned topic is flagged; a uniform honest opinion passes', async () => {
    await startAs('o-1')
    await startAs('o-2')
    await submit('o-1', 'main', mainAnswers())
    await submit('o-2', 'main', mainAnswers())
    // All 5s, also on the reverse-keyed item: "fair" and "often unpunished" at once.
    const patterned = await submit('o-1', 't_law', { tl_know: 5, tl_fair: 5, tl_unfair: 5 })
    expect(patterned.data).toMatchObject({
      valid: false,
      flags: ['straight_lining'],
      checks: ['选项雷同'],
      chancesGranted: 0,
    })
    // 一般 on everything is a consistent answer to a reverse-keyed pair.
    const neutral = await submit('o-2', 't_law', { tl_know: 3, tl_fair: 3, tl_unfair: 3 })
    expect(neutral.data).toMatchObject({ valid: true, flags: [], chancesGranted: 1 })
  })

  it('paradata is stored with the section, checked against the server clock, and does not invalidate by default', async () => {
    await startAs('o-1')
    await startAs('o-2')
    const honest = {
      visibleMs: 55_000,
      questions: {
        m_age: { firstMs: 3000, changes: 0 },
        m_security: { firstMs: 20_000, changes: 2 },
      },
    }
    w.clock.now += 60_000
    const a = await w.call('o-1', {
      action: 'submitSection',
      sectionId: 'main',
      answers: mainAnswers(),
      paradata: honest,
      requestId: rid('pd'),
    })
    expect(a.data).toMatchObject({ valid: true })
    const ra = await readResponse(CAMPAIGN.id, 'o-1')
    expect(ra!.sections.main!.paradata).toEqual(honest)
    expect(ra!.sections.main!.signals!.paradata).toMatchObject({
      visibleMs: 55_000,
      answeringMs: 20_000,
      changes: 2,
      covered: 2,
      plausible: true,
      fast: false,
    })
    // Waited, then submitted at once: the page says 1 s visible — recorded as fast, still valid;
    // a client claiming more time than the server saw is implausible.
    w.clock.now += 60_000
    const b = await w.call('o-2', {
      action: 'submitSection',
      sectionId: 'main',
      answers: mainAnswers(),
      paradata: { visibleMs: 1000, questions: {} },
      requestId: rid('pd'),
    })
    expect(b.data).toMatchObject({ valid: true })
    const rb = await readResponse(CAMPAIGN.id, 'o-2')
    expect(rb!.sections.main!.signals!.paradata).toMatchObject({ fast: true, plausible: true })
    w.clock.now += 60_000
    const c = await w.call('o-2', {
      action: 'submitSection',
      sectionId: 't_shop',
      answers: { ts_sat: 4 },
      paradata: { visibleMs: 3_600_000, questions: {} },
      requestId: rid('pd'),
    })
    expect(c.data).toMatchObject({ valid: true })
    const rc = await readResponse(CAMPAIGN.id, 'o-2')
    expect(rc!.sections.t_shop!.signals!.paradata).toMatchObject({ plausible: false, fast: false })
  })

  it('refuses paradata beyond its bounds with nothing written', async () => {
    await startAs('o-1')
    const before = await snapshot()
    const questions = Object.fromEntries(
      Array.from({ length: 101 }, (_, i) => [`q${i}`, { firstMs: 1, changes: 0 }]),
    )
    const reply = await w.call('o-1', {
      action: 'submitSection',
      sectionId: 'main',
      answers: mainAnswers(),
      paradata: { visibleMs: 1000, questions },
      requestId: rid('pd'),
    })
    expect(reply.error.code).toBe('BAD_REQUEST')
    expect(await snapshot()).toEqual(before)
  })
})

describe('a requestId reused with a different submission', () => {
  it('is refused when the answers differ, and nothing moves', async () => {
    await startAs('o-1')
    const first = await submit('o-1', 'main', mainAnswers(), 60, 'same-id-0001')
    expect(first.ok).toBe(true)
    const before = await snapshot()
    const again = await submit('o-1', 'main', mainAnswers({ m_hours: 6 }), 1, 'same-id-0001')
    expect(again.error.code).toBe('IDEMPOTENCY_MISMATCH')
    const other = await submit('o-1', 't_shop', { ts_sat: 4 }, 60, 'same-id-0001')
    expect(other.error.code).toBe('IDEMPOTENCY_MISMATCH')
    expect(await snapshot()).toEqual(before)
    // The same submission again still gets its first reply.
    const retry = await submit('o-1', 'main', mainAnswers(), 0, 'same-id-0001')
    expect(retry).toEqual(first)
  })

  it("is refused when it reuses a refused submission's id for other answers", async () => {
    await startAs('o-1')
    const refused = await submit(
      'o-1',
      'main',
      mainAnswers({ m_age: undefined }),
      60,
      'refused-id-01',
    )
    expect(refused.error.code).toBe('VALIDATION_FAILED')
    const changed = await submit('o-1', 'main', mainAnswers(), 60, 'refused-id-01')
    expect(changed.error.code).toBe('IDEMPOTENCY_MISMATCH')
    const fresh = await submit('o-1', 'main', mainAnswers(), 0, 'refused-id-02')
    expect(fresh.data).toMatchObject({ valid: true })
  })
})

describe('open suggestions', () => {
  it('risky text is stored flagged and does not block the submission', async () => {
    await startAs('o-1')
    const reply = await submit('o-1', 'main', mainAnswers({ m_suggest: '有人发诈骗链接' }))
    expect(reply.data.valid).toBe(true)
    const doc = (await getDb().collection('responses').doc(`${CAMPAIGN.id}:o-1`).get()).data as {
      answers: Record<string, unknown>
      contentChecks: Record<string, unknown>
    }
    expect(doc.answers.m_suggest).toBe('有人发诈骗链接')
    expect(doc.contentChecks.m_suggest).toMatchObject({ suggest: 'risky' })
    expect(w.cloud.openapi.log.contentChecks).toHaveLength(1)
  })
})

describe('statistics counters', () => {
  it('100 respondents in parallel: counters equal the samples, by unit, region and code', async () => {
    await getDb()
      .collection('shareCodes')
      .doc('V001')
      .set({ data: { campaignId: CAMPAIGN.id, unitId: 'gd-assoc' } })
    const ids = Array.from({ length: 100 }, (_, i) => `o-${i}`)
    for (const id of ids) await startAs(id, 'public', id.endsWith('0') ? 'V001' : undefined)
    w.clock.now += 120_000
    const replies = await Promise.all(
      ids.map((id) =>
        w.call(id, {
          action: 'submitSection',
          sectionId: 'main',
          answers: mainAnswers(),
          requestId: rid(),
        }),
      ),
    )
    expect(replies.every((r) => r.ok)).toBe(true)
    const s = await stats()
    expect(s.total).toEqual({ valid: 100, invalid: 0 })
    expect(s.units['gd-assoc']).toEqual({ valid: 10, invalid: 0 })
    expect(s.cities[GUANGZHOU.cityCode]!.valid).toBe(100)
    const shards = (await getDb().collection('statShards').where({ slice: 'all' }).limit(128).get())
      .data
    expect(shards.length).toBeGreaterThan(20) // spread, not one hot document
    expect(sumShards(shards as Array<Record<string, unknown>>).total.valid).toBe(100)
    const code = await getDb().collection('codeStats').where({ code: 'V001' }).get()
    expect(code.data.reduce((n, d) => n + (d as { valid: number }).valid, 0)).toBe(10)
  })
})
