// Conformance: runTransaction / startTransaction, rollback, visibility, conflicts and retries, the
// interleaving (isolation) hazard on one shared SQLite connection, group commit, and unique indexes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { DocumentStore } from '../../emulator/db/store'
import { openLocalCloud, sdkError, type SdkDb } from './local-cloud'
import type { LocalCloud } from '../../emulator'

let local: LocalCloud
let db: SdkDb

beforeEach(async () => {
  ;({ local, db } = openLocalCloud([
    { collection: 'accounts' },
    { collection: 'entries' },
    {
      collection: 'codes',
      indexes: [
        { name: 'code', unique: true, keys: [{ field: 'code', direction: 1 }] },
        {
          name: 'campaign_openid',
          unique: true,
          keys: [
            { field: 'campaignId', direction: 1 },
            { field: 'openid', direction: 1 },
          ],
        },
      ],
    },
  ]))
  await db
    .collection('accounts')
    .doc('a')
    .set({ data: { balance: 100 } })
  await db
    .collection('accounts')
    .doc('b')
    .set({ data: { balance: 0 } })
})
afterEach(() => local.close())

const balance = async (id: string) =>
  ((await db.collection('accounts').doc(id).get()).data as { balance: number }).balance
const count = async (coll: string) => (await db.collection(coll).count()).total
const entryRefs = async () =>
  ((await db.collection('entries').get()).data as Array<{ ref: string }>).map((e) => e.ref).sort()

/** Move points a → b with an entry, the way a ledger handler does. */
function transfer(amount: number, ref: string) {
  return db.runTransaction(async (t) => {
    const from = (await t.collection('accounts').doc('a').get()).data as { balance: number }
    if (from.balance < amount) throw new Error('INSUFFICIENT')
    await t
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: from.balance - amount } })
    const to = (await t.collection('accounts').doc('b').get()).data as { balance: number }
    await t
      .collection('accounts')
      .doc('b')
      .update({ data: { balance: to.balance + amount } })
    await t.collection('entries').add({ data: { ref, amount } })
    return ref
  })
}

describe('runTransaction', () => {
  it('commits every write together and returns the callback result', async () => {
    expect(await transfer(30, 'r1')).toBe('r1')
    expect([await balance('a'), await balance('b'), await count('entries')]).toEqual([70, 30, 1])
  })

  it('rolls everything back when the callback throws', async () => {
    await expect(
      db.runTransaction(async (t) => {
        await t
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: 0 } })
        await t.collection('entries').add({ data: { ref: 'never' } })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect([await balance('a'), await count('entries')]).toEqual([100, 0])
    expect(local.store.openTransactions()).toBe(0)
  })

  it('reads its own writes, while nothing is visible outside before commit', async () => {
    let seenInside: number | undefined
    let seenOutside: number | undefined
    let entriesOutside: number | undefined
    await db.runTransaction(async (t) => {
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: 1 } })
      await t.collection('entries').add({ data: { ref: 'x' } })
      seenInside = ((await t.collection('accounts').doc('a').get()).data as { balance: number })
        .balance
      seenOutside = await balance('a')
      entriesOutside = await count('entries')
    })
    expect({ seenInside, seenOutside, entriesOutside }).toEqual({
      seenInside: 1,
      seenOutside: 100,
      entriesOutside: 0,
    })
    expect(await balance('a')).toBe(1)
  })

  it('concurrent transactions on the same documents never lose an update', async () => {
    // 20 concurrent transfers of 5: conflicts are detected at commit and the SDK retries
    // (3 times by default, so some may finally fail) — but money is never created or lost.
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => transfer(5, `r${i}`)),
    )
    const committed = results.filter((r) => r.status === 'fulfilled').length
    expect(committed).toBeGreaterThan(0)
    expect(await balance('a')).toBe(100 - 5 * committed)
    expect(await balance('b')).toBe(5 * committed)
    expect(await count('entries')).toBe(committed)
  })

  it('an injected conflict re-runs the callback, and only the last run is committed', async () => {
    local.store.injectTransactionConflicts(2)
    let runs = 0
    await db.runTransaction(async (t) => {
      runs++
      await t.collection('entries').add({ data: { run: runs } })
    })
    expect(runs).toBe(3)
    const entries = (await db.collection('entries').get()).data
    expect(entries).toEqual([expect.objectContaining({ run: 3 })])
  })

  it('gives up after the retries are spent, leaving nothing written', async () => {
    local.store.injectTransactionConflicts(10)
    const err = (await db
      .runTransaction(async (t) => {
        await t.collection('entries').add({ data: { a: 1 } })
      })
      .catch((e: unknown) => e)) as { code?: string }
    expect(err.code).toBe('DATABASE_TRANSACTION_CONFLICT')
    expect(await count('entries')).toBe(0)
  })

  it('refuses where-queries inside a transaction, as CloudBase does', async () => {
    const err = await db
      .runTransaction(async (t) => {
        await t.collection('entries').where({ ref: 'x' }).get()
      })
      .catch((e: { errMsg?: string }) => e)
    expect(String((err as { errMsg?: string }).errMsg)).toMatch(
      /transactions support doc operations and add only/,
    )
  })
})

describe('startTransaction', () => {
  it('commit makes writes visible; rollback discards them', async () => {
    const t1 = await db.startTransaction()
    await t1
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 50 } })
    expect(await balance('a')).toBe(100)
    await t1.commit()
    expect(await balance('a')).toBe(50)

    const t2 = await db.startTransaction()
    await t2
      .collection('accounts')
      .doc('a')
      .set({ data: { balance: 0 } })
    await t2.collection('accounts').doc('b').remove()
    await t2.rollback()
    expect([await balance('a'), await count('accounts')]).toEqual([50, 2])
  })
})

describe('isolation on one shared SQLite connection', () => {
  it("a rolled-back transaction never takes another request's interleaved write with it", async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const failing = db
      .runTransaction(async (t) => {
        await t
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: 0 } })
        await gate // another request writes while this transaction is open
        throw new Error('abort')
      })
      .catch(() => 'rolled back')
    // Other requests, interleaved at every await: plain writes, and a whole other transaction.
    await db.collection('entries').add({ data: { ref: 'outside' } })
    await db
      .collection('accounts')
      .doc('b')
      .update({ data: { balance: 7 } })
    await db.runTransaction(async (t) => {
      await t.collection('entries').add({ data: { ref: 'other-transaction' } })
    })
    release()
    expect(await failing).toBe('rolled back')
    expect(await balance('a')).toBe(100)
    expect(await balance('b')).toBe(7)
    expect(await entryRefs()).toEqual(['other-transaction', 'outside'])
  })

  it('a committing transaction does not publish writes another request has not made', async () => {
    const t1 = await db.startTransaction()
    await t1.collection('entries').add({ data: { ref: 'in-t1' } })
    const t2 = await db.startTransaction()
    await t2.collection('entries').add({ data: { ref: 'in-t2' } })
    await t1.commit()
    expect(await entryRefs()).toEqual(['in-t1'])
    await t2.rollback()
    expect(await count('entries')).toBe(1)
  })

  it('a plain write to a document a transaction read makes that transaction conflict, not overwrite', async () => {
    const t = await db.startTransaction()
    const seen = ((await t.collection('accounts').doc('a').get()).data as { balance: number })
      .balance
    await db
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: db.command.inc(1) } })
    await t
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: seen - 10 } })
    await expect(t.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' })
    expect(await balance('a')).toBe(101)
  })
})

describe('group commit: the commits of one event-loop turn share one SQLite transaction', () => {
  /** SQLite commits made by group commits since `before` (a copy of store.groupCommits). */
  const batchesSince = (before: { batches: number }) =>
    local.store.groupCommits.batches - before.batches

  /** Transactions that each read account a, then write it one of `balances`; not committed. */
  async function readersOfA(...balances: number[]) {
    const txns = await Promise.all(balances.map(() => db.startTransaction()))
    for (const t of txns) await t.collection('accounts').doc('a').get()
    for (const [i, t] of txns.entries()) {
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: balances[i] } })
    }
    return txns
  }

  it('commits many concurrent transactions on distinct documents in a few SQLite commits', async () => {
    const before = { ...local.store.groupCommits }
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.runTransaction(async (t) => {
          const doc = t.collection('accounts').doc(`d${i}`)
          await doc.get().catch(() => null) // not there yet: the SDK throws, the read still counts
          await doc.set({ data: { balance: i } })
          await t.collection('entries').add({ data: { ref: `e${i}` } })
        }),
      ),
    )
    for (let i = 0; i < 40; i++) expect(await balance(`d${i}`)).toBe(i)
    expect(await count('entries')).toBe(40)
    expect(local.store.groupCommits.transactions - before.transactions).toBe(40)
    // They ran in step, so their commits arrived together: a handful of flushes, not 40. That a
    // flush is one SQLite transaction is what the failing-COMMIT case below proves.
    expect(batchesSince(before)).toBeLessThanOrEqual(4)
  })

  it('of two transactions in one batch that read-modify one document, the first commits and the second conflicts', async () => {
    const [t1, t2] = await readersOfA(1, 2)
    const before = { ...local.store.groupCommits }
    const [r1, r2] = await Promise.allSettled([t1!.commit(), t2!.commit()])
    expect(batchesSince(before)).toBe(1)
    expect(r1.status).toBe('fulfilled')
    expect(r2).toMatchObject({
      status: 'rejected',
      reason: { code: 'DATABASE_TRANSACTION_CONFLICT' },
    })
    expect(await balance('a')).toBe(1)
  })

  it('50 concurrent read-then-set increments through runTransaction all land (conflicts retry)', async () => {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        db.runTransaction(async (t) => {
          const doc = t.collection('accounts').doc('b')
          const { balance: seen } = (await doc.get()).data as { balance: number }
          await doc.set({ data: { balance: seen + 1 } })
        }, 100),
      ),
    )
    expect(await balance('b')).toBe(50)
  })

  it('a duplicate key in one transaction of a batch fails that one only, writing nothing of it', async () => {
    // None of the transactions sees the others' adds, so the clash shows only at commit.
    const txns = await Promise.all(
      [
        { ref: 'first', code: 'X' },
        { ref: 'dup', code: 'X' },
        { ref: 'third', code: 'Y' },
      ].map(async ({ ref, code }) => {
        const t = await db.startTransaction()
        await t.collection('entries').add({ data: { ref } })
        await t.collection('codes').add({ data: { code, campaignId: 'c', openid: ref } })
        return t
      }),
    )
    const before = { ...local.store.groupCommits }
    const results = await Promise.allSettled(txns.map((t) => t.commit()))
    expect(batchesSince(before)).toBe(1)
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'DATABASE_REQUEST_FAILED',
      message: expect.stringMatching(/E11000 duplicate key error collection: codes index: code/),
    })
    expect([await entryRefs(), await count('codes')]).toEqual([['first', 'third'], 2])
  })

  it('an injected conflict fails one transaction of a batch, and the others commit', async () => {
    const [t1, t2] = await readersOfA(1, 2)
    const t3 = await db.startTransaction()
    await t3.collection('entries').add({ data: { ref: 'third' } })
    local.store.injectTransactionConflicts(1)
    const results = await Promise.allSettled([t1!.commit(), t2!.commit(), t3.commit()])
    // t1 takes the injected conflict, so t2's read of a is still current and t2 commits.
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled'])
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'DATABASE_TRANSACTION_CONFLICT',
    })
    expect([await balance('a'), await entryRefs()]).toEqual([2, ['third']])
  })

  it('when the SQLite COMMIT fails, every transaction of the batch fails and nothing is written', async () => {
    // A deferred foreign key is checked only by COMMIT: a trigger breaks one when a document
    // "poison" is inserted, so the SQLite transaction holding that insert cannot commit.
    const sqlite = local.store.sqlite
    sqlite.pragma('foreign_keys = ON')
    sqlite.exec(`
      CREATE TABLE parent (id TEXT PRIMARY KEY);
      CREATE TABLE child (pid TEXT REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER poison AFTER INSERT ON c_entries WHEN NEW.id = 'poison'
        BEGIN INSERT INTO child VALUES ('nobody'); END;
    `)
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {})
    const poisoned = await db.startTransaction()
    await poisoned
      .collection('entries')
      .doc('poison')
      .set({ data: { ref: 'poison' } })
    const innocent = await db.startTransaction()
    await innocent
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 7 } })
    const results = await Promise.allSettled([poisoned.commit(), innocent.commit()])
    errors.mockRestore()
    for (const r of results) {
      expect(r).toMatchObject({
        status: 'rejected',
        reason: {
          code: 'DATABASE_REQUEST_FAILED',
          message: expect.stringMatching(/FOREIGN KEY constraint failed/),
        },
      })
    }
    expect([await balance('a'), await entryRefs()]).toEqual([100, []])
    // The SQLite transaction was rolled back: the next batch commits as usual.
    await db.runTransaction(async (t) => {
      await t.collection('entries').add({ data: { ref: 'after' } })
    })
    expect(await entryRefs()).toEqual(['after'])
  })

  it('waits for another process holding the write lock without stopping the event loop', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wal-group-commit-'))
    const file = path.join(dir, 'db.sqlite')
    const store = new DocumentStore({
      file,
      collectionsDir: '/nonexistent',
      collections: [{ collection: 'entries', indexes: [] }],
    })
    // Another process's connection (a second gateway instance) inside a write transaction.
    const other = new Database(file)
    try {
      other.exec('BEGIN IMMEDIATE')
      const txn = store.startTransaction()
      store.insert('entries', [{ _id: 'e', ref: 'waited' }], txn)
      let settled = false
      const committed = store.commitQueued(txn).then(() => (settled = true))
      const started = performance.now()
      await new Promise((resolve) => setTimeout(resolve, 30))
      // Timers ran on time (the flush did not sleep in SQLite's busy handler), nothing committed.
      expect(performance.now() - started).toBeLessThan(1000)
      expect(settled).toBe(false)
      expect(store.groupCommits.lockWaits).toBeGreaterThan(1)
      other.exec('COMMIT')
      await committed
      expect(store.find('entries', {})).toEqual([{ _id: 'e', ref: 'waited' }])
    } finally {
      other.close()
      store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('closing the store applies the commits still waiting for their flush', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wal-group-commit-'))
    const open = () =>
      new DocumentStore({
        file: path.join(dir, 'db.sqlite'),
        collectionsDir: '/nonexistent',
        collections: [{ collection: 'entries', indexes: [] }],
      })
    try {
      const store = open()
      const txn = store.startTransaction()
      store.insert('entries', [{ _id: 'e', ref: 'queued' }], txn)
      const committed = store.commitQueued(txn)
      store.close()
      await committed
      const reopened = open()
      expect(reopened.find('entries', {})).toEqual([{ _id: 'e', ref: 'queued' }])
      reopened.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('unique indexes', () => {
  it('refuse a duplicate add with the error CloudBase returns', async () => {
    await db.collection('codes').add({ data: { code: 'X1', campaignId: 'c', openid: 'o1' } })
    const err = await sdkError(
      db.collection('codes').add({ data: { code: 'X1', campaignId: 'c', openid: 'o2' } }),
    )
    expect(err.errCode).toBe(-502001)
    expect(err.errMsg).toMatch(
      /E11000 duplicate key error collection: codes index: code dup key: \{ code: "X1" \}/,
    )
    expect(await count('codes')).toBe(1)
  })

  it('compound unique keys', async () => {
    await db.collection('codes').add({ data: { code: 'A', campaignId: 'c', openid: 'o1' } })
    await db.collection('codes').add({ data: { code: 'B', campaignId: 'd', openid: 'o1' } })
    const err = await sdkError(
      db.collection('codes').add({ data: { code: 'C', campaignId: 'c', openid: 'o1' } }),
    )
    expect(err.errMsg).toMatch(/index: campaign_openid/)
  })

  it('refuse an update that would create a duplicate', async () => {
    await db
      .collection('codes')
      .doc('k1')
      .set({ data: { code: 'A', campaignId: 'c', openid: 'o1' } })
    await db
      .collection('codes')
      .doc('k2')
      .set({ data: { code: 'B', campaignId: 'c', openid: 'o2' } })
    const err = await sdkError(
      db
        .collection('codes')
        .doc('k2')
        .update({ data: { code: 'A' } }),
    )
    expect(err.errMsg).toMatch(/E11000/)
  })

  it('treat a missing key as null, so only one document may lack it', async () => {
    await db.collection('codes').add({ data: { campaignId: 'c', openid: 'o1' } })
    const err = await sdkError(
      db.collection('codes').add({ data: { campaignId: 'c', openid: 'o2' } }),
    )
    expect(err.errMsg).toMatch(/index: code/)
  })

  it('inside a transaction, the duplicate fails the add and the transaction writes nothing', async () => {
    await db.collection('codes').add({ data: { code: 'T', campaignId: 'c', openid: 'o1' } })
    const err = await db
      .runTransaction(async (t) => {
        await t.collection('entries').add({ data: { ref: 'before-dup' } })
        await t.collection('codes').add({ data: { code: 'T', campaignId: 'c', openid: 'o9' } })
      })
      .catch((e: unknown) => e as { errCode?: number; errMsg?: string })
    expect(err).toMatchObject({ errCode: -502001 })
    expect(await count('entries')).toBe(0)
  })

  it('50 concurrent adds of one key: exactly one wins', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        db.collection('codes').add({ data: { code: 'RACE', campaignId: 'c', openid: `o${i}` } }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await count('codes')).toBe(1)
  })

  it('an array on an indexed path fails loudly (multikey indexes are not emulated)', async () => {
    const err = await sdkError(
      db.collection('codes').add({ data: { code: ['a', 'b'], campaignId: 'c', openid: 'o' } }),
    )
    expect(err.errMsg).toMatch(/array on indexed path "code"/)
  })
})

describe('counter increments inside transactions (applied by SQLite at commit)', () => {
  const shard = () => db.collection('accounts').doc('shard')
  const _ = () => db.command
  beforeEach(async () => {
    await shard().set({
      data: { total: { valid: 1 }, cities: { '440100': { valid: 2 } }, tags: ['x'], note: 'n' },
    })
  })
  const read = async () => (await shard().get()).data as Record<string, unknown>

  it('add to existing counters and create missing ones, digit-named keys as fields', async () => {
    await db.runTransaction(async (t) => {
      await t
        .collection('accounts')
        .doc('shard')
        .update({
          data: {
            'total.valid': _().inc(1),
            'cities.440100.valid': _().inc(3),
            'cities.110100.invalid': _().inc(1),
            'days.20240720.valid': _().inc(-2),
          },
        })
    })
    expect(await read()).toEqual({
      _id: 'shard',
      total: { valid: 2 },
      cities: { '440100': { valid: 5 }, '110100': { invalid: 1 } },
      days: { '20240720': { valid: -2 } },
      tags: ['x'],
      note: 'n',
    })
  })

  it('are read back within the transaction, and nothing shows before the commit', async () => {
    let inside: unknown
    await db.runTransaction(async (t) => {
      await t
        .collection('accounts')
        .doc('shard')
        .update({ data: { 'total.valid': _().inc(5) } })
      expect(((await shard().get()).data as { total: unknown }).total).toEqual({ valid: 1 })
      inside = (await t.collection('accounts').doc('shard').get()).data
      await t
        .collection('accounts')
        .doc('shard')
        .update({ data: { 'total.valid': _().inc(1) } })
    })
    expect(inside).toMatchObject({ total: { valid: 6 } })
    expect(await read()).toMatchObject({ total: { valid: 7 } })
  })

  it('on a shape $inc refuses, fail at the update as without the shortcut', async () => {
    for (const path of ['note', 'note.deeper', 'total']) {
      const err = await sdkError(
        db.runTransaction(async (t) => {
          await t
            .collection('accounts')
            .doc('shard')
            .update({ data: { [path]: _().inc(1) } })
        }),
      )
      expect(err).toMatchObject({ errCode: -502001 })
      expect(err.errMsg).toMatch(/Cannot apply \$inc/)
    }
    expect(await read()).toMatchObject({ note: 'n', total: { valid: 1 } })
  })

  it('a counter that holds a fraction is added to the ordinary way', async () => {
    await shard().update({ data: { total: { valid: 1.5 } } })
    await db.runTransaction(async (t) => {
      await t
        .collection('accounts')
        .doc('shard')
        .update({ data: { 'total.valid': _().inc(2), 'days.20240721.valid': _().inc(1) } })
    })
    expect(await read()).toMatchObject({
      total: { valid: 3.5 },
      days: { '20240721': { valid: 1 } },
    })
  })

  // Shapes the shortcut leaves to the ordinary way: the same outcome inside a transaction (where
  // the shortcut would apply) as outside one (always the ordinary way).
  it.each([
    ['null at the end', { nil: null }, 'nil'],
    ['null on the way', { total: null }, 'total.valid'],
    ['an array on the way', { tags: ['x'] }, 'tags.n'],
    ['a counter at 2^53 (past exact integers)', { big: 2 ** 53 }, 'big'],
  ])('%s: as without a transaction', async (_label, stored, path) => {
    const outcome = async (inTransaction: boolean) => {
      await shard().set({ data: stored })
      const update = { data: { [path]: _().inc(1) } }
      const err = await (
        inTransaction
          ? db.runTransaction(async (t) => {
              await t.collection('accounts').doc('shard').update(update)
            })
          : shard().update(update)
      ).then(
        () => null,
        (e: { errMsg?: string }) => e.errMsg,
      )
      return { err, doc: await read() }
    }
    expect(await outcome(true)).toEqual(await outcome(false))
  })

  it('a missing document is not updated (0) and the transaction may create it', async () => {
    await db.runTransaction(async (t) => {
      const res = (await t
        .collection('accounts')
        .doc('nobody')
        .update({ data: { n: _().inc(1) } })) as { stats: { updated: number } }
      expect(res.stats.updated).toBe(0)
      await t
        .collection('accounts')
        .doc('nobody')
        .set({ data: { n: 1 } })
    })
    expect((await db.collection('accounts').doc('nobody').get()).data).toEqual({
      _id: 'nobody',
      n: 1,
    })
  })

  it('60 concurrent transactions on one counter count every one', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_x, i) =>
        db.runTransaction(async (t) => {
          await t
            .collection('accounts')
            .doc('shard')
            .update({ data: { 'total.valid': _().inc(1), [`cities.${i % 7}.valid`]: _().inc(1) } })
        }, 200),
      ),
    )
    const doc = (await read()) as {
      total: { valid: number }
      cities: Record<string, { valid: number }>
    }
    expect(doc.total.valid).toBe(61)
    const cities = Object.entries(doc.cities).filter(([k]) => k !== '440100')
    expect(cities.reduce((n, [, c]) => n + c.valid, 0)).toBe(60)
  })
})
