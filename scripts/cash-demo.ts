// `npx tsx scripts/cash-demo.ts on|off [--file <data.sqlite>]`: makes the local demo campaign pay
// its prizes as cash red envelopes (on) or points again (off), to see payouts and the 待领取红包
// page with `npm start` (the shipped table pays points). Run it after `npm start` has seeded — a
// new start seeds the points table back — and the functions pick it up within 30 s. The cash
// table is a new version beside the seeded one, as an operator would publish it
// (docs/operations.md); with WAL_FAKE_TRANSFER=confirm or never, bills wait for the winner.
import path from 'node:path'
import { drawTableSchema } from 'wal-core'
import { getDb, readDoc } from '../server/db'
import { DRAW_TABLES, REWARD_CONFIGS } from '../server/reward-config'
import { drawTableId, rewardConfigSchema } from '../server/reward-rules'
import { DEMO_CAMPAIGN_ID, dataFile } from './seed'
import { onLocalData, runCli } from './local-data'

const SUFFIX = '-cash'

export async function switchPrizeForm(cash: boolean): Promise<string> {
  const configRef = getDb().collection(REWARD_CONFIGS).doc(DEMO_CAMPAIGN_ID)
  const stored = await readDoc<Record<string, unknown>>(configRef)
  if (!stored)
    throw new Error('no demo campaign in this data file: run npm start (or npm run seed)')
  const { _id: _ignored, ...rest } = stored
  const config = rewardConfigSchema.parse(rest)
  if (cash && !config.cash) throw new Error('the demo rewards have no cash rules (budget, cap)')
  const base = config.drawTableVersion.endsWith(SUFFIX)
    ? config.drawTableVersion.slice(0, -SUFFIX.length)
    : config.drawTableVersion
  const version = cash ? `${base}${SUFFIX}` : base
  if (cash) {
    const seeded = await readDoc<{ table?: unknown }>(
      getDb().collection(DRAW_TABLES).doc(drawTableId(DEMO_CAMPAIGN_ID, base)),
    )
    if (!seeded) throw new Error(`draw table ${base} of the demo is missing`)
    // Same tiers and odds, paid in cash: a table is never edited, so this is a new version.
    const table = drawTableSchema.parse({
      ...drawTableSchema.parse(seeded.table),
      version,
      prizeForm: 'cash',
    })
    await getDb()
      .collection(DRAW_TABLES)
      .doc(drawTableId(DEMO_CAMPAIGN_ID, version))
      .set({ data: { campaignId: DEMO_CAMPAIGN_ID, version, table } })
  }
  await configRef.update({ data: { drawTableVersion: version } })
  return version
}

async function cli(): Promise<void> {
  const verb = process.argv[2]
  if (verb !== 'on' && verb !== 'off') {
    console.error('usage: npx tsx scripts/cash-demo.ts on|off [--file <data.sqlite>]')
    process.exitCode = 2
    return
  }
  const at = process.argv.indexOf('--file')
  const file = at >= 0 ? path.resolve(process.argv[at + 1] ?? '') : dataFile()
  await onLocalData(file, async () => {
    const version = await switchPrizeForm(verb === 'on')
    console.log(
      `demo draws now use table ${version} (${verb === 'on' ? 'cash' : 'points'}), ${file}`,
    )
  })
}

if (require.main === module) runCli(cli)
