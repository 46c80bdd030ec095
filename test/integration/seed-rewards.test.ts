// The seed stores each campaign's draw table under its version and the reward configuration that
// points at it; re-seeding changes nothing, and a table changed under a stored version is refused.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { CAMPAIGNS_DIR } from '../../campaigns/load'
import { getDb, readDoc } from '../../server/db'
import { DRAW_TABLES, REWARD_CONFIGS } from '../../server/reward-config'
import { seed } from '../../scripts/seed'

let cloud: LocalCloud
let scratch: string
beforeEach(() => {
  cloud = startLocalCloud()
  scratch = mkdtempSync(path.join(tmpdir(), 'wal-seed-rewards-'))
})
afterEach(() => {
  cloud.close()
  rmSync(scratch, { recursive: true, force: true })
})

const nowMs = Date.parse('2025-03-01T10:00:00+08:00')

test('draw tables by version and reward configs are seeded, the demo with 2024’s', async () => {
  await seed({ nowMs })
  for (const id of ['wal-2024', 'demo']) {
    await expect(
      readDoc(getDb().collection(DRAW_TABLES).doc(`${id}:2024.1`)),
    ).resolves.toMatchObject({
      campaignId: id,
      version: '2024.1',
      table: { prizeForm: 'points', kinds: { gold: { cost: 9 } } },
    })
    await expect(readDoc(getDb().collection(REWARD_CONFIGS).doc(id))).resolves.toMatchObject({
      campaignId: id,
      drawTableVersion: '2024.1',
      transfer: { maxAmount: 500 },
    })
  }
})

test('a table changed without a new version is refused; with a new version it becomes active', async () => {
  cpSync(CAMPAIGNS_DIR, scratch, { recursive: true, filter: (src) => !src.endsWith('.ts') })
  await seed({ nowMs, campaignsDir: scratch })
  const file = path.join(scratch, '2024', 'draw-table.json')
  const table = JSON.parse(readFileSync(file, 'utf8'))
  table.kinds.nine_grid.tiers[2].points = 4
  writeFileSync(file, JSON.stringify(table))
  await expect(seed({ nowMs, campaignsDir: scratch })).rejects.toThrow(
    /draw table wal-2024:2024\.1 differs .* needs a new version/,
  )

  writeFileSync(file, JSON.stringify({ ...table, version: '2024.2' }))
  await expect(seed({ nowMs, campaignsDir: scratch })).resolves.toMatchObject({
    'wal-2024 draw table 2024.2': 'created',
    'wal-2024 rewards': 'updated',
  })
  await expect(readDoc(getDb().collection(REWARD_CONFIGS).doc('wal-2024'))).resolves.toMatchObject({
    drawTableVersion: '2024.2',
  })
  // The old version stays: draws made with it still name it.
  await expect(
    readDoc(getDb().collection(DRAW_TABLES).doc('wal-2024:2024.1')),
  ).resolves.toBeTruthy()
})
