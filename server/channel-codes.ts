// Unit channel codes in bulk (the documents' collection-task table): an admin issues N labelled
// codes for sub-units (schools, companies, stations), each with a target, in one idempotent
// batch, and downloads them as a table (CSV or XLSX with the code images) from cloud storage.
import ExcelJS from 'exceljs'
import { codeChain, shareScene, type ChannelBatch } from 'wal-core'
import { AppError } from './app-error'
import { getDb, readDoc } from './db'
import { runOnce } from './idempotency'
import { currentCampaign } from './records/campaigns'
import { cachedNodes, type OrgNodeDoc } from './records/org'
import {
  SHARE_CODES,
  codesOfBatch,
  derivedCode,
  readCode,
  type ShareCodeDoc,
} from './records/share-codes'
import { readCodeTotals } from './records/stats'
import { getStorage } from './storage'
import { codeImageBytes, codeImageUrl } from './code-images'

export const CHANNEL_BATCHES = 'channelBatches'
/** Codes written per transaction (a batch may hold 500). */
const CHUNK = 50
const CODE_ATTEMPTS = 5

interface BatchDoc {
  _id: string
  campaignId: string
  nodeId: string
  batchLabel: string
  codes: Array<{ code: string; label: string; target: number }>
  createdBy: string
  createdAt: Date
}

/**
 * Creates the batch: codes derived from (node, requestId, index) so a retry makes the same codes;
 * the batch record (runOnce) fixes the list, then the code documents are written in chunks — a
 * retry after a crash between chunks rewrites the same documents.
 */
export async function createChannelCodes(
  input: {
    nodeId: string
    batchLabel: string
    codes: Array<{ label: string; target: number }>
    requestId: string
  },
  node: OrgNodeDoc,
  /** Who asks: an openid, or `web:<uid>` for a console account (records/caller-roles.ts). */
  by: string,
  now: Date,
): Promise<ChannelBatch> {
  const { campaign } = await currentCampaign(now)
  const batchId = `${node._id}-${input.requestId}`
  const planned: BatchDoc['codes'] = []
  for (const [i, c] of input.codes.entries()) {
    const ownerKey = `${campaign.id}|channel|${batchId}|${i}`
    let code: string | null = null
    for (let attempt = 0; attempt < CODE_ATTEMPTS && !code; attempt++) {
      const candidate = derivedCode(ownerKey, attempt)
      const existing = await readCode(getDb(), candidate)
      if (!existing || (existing as { ownerKey?: string }).ownerKey === ownerKey) code = candidate
    }
    if (!code) throw new Error(`no free code for ${ownerKey}`)
    planned.push({ code, label: c.label, target: c.target })
  }
  const batch = await runOnce(
    { requestId: input.requestId, scope: 'volunteer.createChannelCodes', input, caller: by },
    async (tx) => {
      const doc: BatchDoc = {
        _id: batchId,
        campaignId: campaign.id,
        nodeId: node._id,
        batchLabel: input.batchLabel,
        codes: planned,
        createdBy: by,
        createdAt: now,
      }
      const { _id, ...data } = doc
      await tx.collection(CHANNEL_BATCHES).doc(_id).set({ data })
      return doc
    },
  )
  const pathNodes = await cachedNodes(node.path)
  const chain = codeChain(
    node.path
      .map((id) => pathNodes.get(id))
      .filter((n) => n !== undefined)
      .map((n) => ({
        id: n._id,
        kind: n.kind,
        region: n.region,
        ...(n.overrideRate !== null ? { overrideRate: n.overrideRate } : {}),
      })),
    true,
    10,
  )
  for (let at = 0; at < batch.codes.length; at += CHUNK) {
    await getDb().runTransaction(async (tx) => {
      for (const [j, c] of batch.codes.slice(at, at + CHUNK).entries()) {
        const doc: Omit<ShareCodeDoc, '_id'> & { ownerKey: string; batchIndex: number } = {
          ownerKey: `${batch.campaignId}|channel|${batchId}|${at + j}`,
          campaignId: batch.campaignId,
          ownerKind: 'channel',
          ownerOpenid: null,
          ownerNodeId: node._id,
          label: c.label,
          batchId,
          batchIndex: at + j,
          target: c.target,
          chain,
          unitId: chain.unitId,
          stationId: chain.stationId,
          active: true,
          createdAt: now,
          updatedAt: now,
        }
        await tx.collection(SHARE_CODES).doc(c.code).set({ data: doc })
      }
    })
  }
  return batchView(batch)
}

function batchView(b: BatchDoc): ChannelBatch {
  return {
    batchId: b._id,
    nodeId: b.nodeId,
    batchLabel: b.batchLabel,
    codes: b.codes.map((c) => ({ ...c, scene: shareScene(c.code) })),
  }
}

export async function readBatch(batchId: string): Promise<BatchDoc> {
  const b = await readDoc<BatchDoc>(getDb().collection(CHANNEL_BATCHES).doc(batchId))
  if (!b) throw new AppError('NOT_FOUND', '没有这批渠道码')
  return b
}

const HEADERS = [
  '序号',
  '渠道名称',
  '分享码',
  '目标样本数',
  '有效样本',
  '无效样本',
  '状态',
  '小程序码',
]

/** The batch as a CSV or XLSX table in cloud storage (codes' images embedded in the XLSX). */
export async function exportChannelCodes(
  batch: BatchDoc,
  format: 'csv' | 'xlsx',
  now: Date,
): Promise<{ fileId: string; url: string }> {
  const docs = new Map((await codesOfBatch(batch._id)).map((d) => [d._id, d]))
  const rows = []
  for (const [i, c] of batch.codes.entries()) {
    const totals = await readCodeTotals(batch.campaignId, c.code)
    const image = await codeImageUrl(shareScene(c.code))
    rows.push({
      cells: [
        i + 1,
        c.label,
        c.code,
        c.target,
        totals.valid,
        totals.invalid,
        docs.get(c.code)?.active === false ? '已暂停' : '使用中',
        image.url,
      ],
      scene: shareScene(c.code),
    })
  }
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15)
  const cloudPath = `exports/channel-codes/${batch._id}-${stamp}.${format}`
  let bytes: Buffer
  if (format === 'csv') {
    const quote = (v: unknown) => {
      const s = String(v)
      // A leading =, +, - or @ would be a formula to a spreadsheet: prefixed with '.
      const safe = /^[=+\-@]/.test(s) ? `'${s}` : s
      return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
    }
    const lines = [HEADERS, ...rows.map((r) => r.cells)].map((r) => r.map(quote).join(','))
    // UTF-8 with a BOM: Excel opens Chinese CSV correctly only with it.
    bytes = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8')
  } else {
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet(batch.batchLabel.slice(0, 31))
    sheet.addRow(HEADERS).font = { bold: true }
    sheet.columns = [6, 28, 12, 12, 10, 10, 8, 18].map((width) => ({ width }))
    for (const [i, r] of rows.entries()) {
      const row = sheet.addRow(r.cells.slice(0, 7))
      row.height = 90
      const png = await codeImageBytes(r.scene)
      const imageId = book.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: 'png' })
      sheet.addImage(imageId, { tl: { col: 7, row: i + 1 }, ext: { width: 110, height: 110 } })
    }
    bytes = Buffer.from(await book.xlsx.writeBuffer())
  }
  const fileId = await getStorage().put(cloudPath, bytes)
  return { fileId, url: await getStorage().tempUrl(fileId) }
}
