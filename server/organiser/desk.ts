// The organiser's desk work: targets (采集任务分解表), activity-reward batches, the review queue
// and open suggestions, and publicity subsidies (宣传补贴). Every mutation runs once per requestId
// with its audit entry in the same transaction (access.ts).
import ExcelJS from 'exceljs'
import {
  csvCell,
  csvRows,
  subsidyMoneyFen,
  subsidyPoints,
  subsidyPointsOwed,
  userCodeSchema,
  validateTargetTable,
  yuanText,
  type ImportError,
  type SubsidyForm,
  type SubsidyRow,
} from 'wal-core'
import { AppError } from '../app-error'
import { getDb, queryDocs, readDoc } from '../db'
import { accountInTx, accountsByUserCodes, postEntry } from '../ledger'
import { currentCampaign } from '../records/campaigns'
import { clearConfigCache } from '../records/config-cache'
import { COMMITTEE_NODE, ORG_NODES, cachedNode, childrenOf, type OrgNodeDoc } from '../records/org'
import { RESPONSES, type ResponseDoc } from '../records/responses'
import { nodeAccountId } from '../records/share-codes'
import { readNodeTotals } from '../records/stats'
import { reviewSample, type ReviewRecord } from '../review'
import { getStorage } from '../storage'
import { grantRewardBatch } from '../wallet'
import {
  auditedOnce,
  mayManage,
  openResponseId,
  pseudonymizer,
  requireCommittee,
  sealResponseId,
  scopeOf,
  subtreeOf,
  writeAudit,
  type Access,
} from './access'

export const SUBSIDIES = 'subsidies'

// ------------------------------------------------------------------------------------ targets

async function tableOf(format: 'xlsx' | 'csv', file: string): Promise<unknown[][]> {
  const bytes = Buffer.from(file, 'base64')
  if (format === 'csv') return csvRows(bytes.toString('utf8'))
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch {
    throw new AppError('BAD_REQUEST', '无法读取该 XLSX 文件')
  }
  const sheet = wb.worksheets[0]
  if (!sheet) return []
  const out: unknown[][] = []
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values = (row.values as unknown[])
      .slice(1)
      .map((v) =>
        v && typeof v === 'object' && 'result' in (v as object)
          ? (v as { result: unknown }).result
          : v,
      )
    out[n - 1] = values
  })
  for (let i = 0; i < out.length; i++) out[i] ??= []
  return out
}

export async function importTargets(
  access: Access,
  input: { format: 'xlsx' | 'csv'; file: string; dryRun: boolean; requestId: string },
  now: Date,
): Promise<{
  rows: Array<{ row: number; nodeId: string; target: number }>
  errors: ImportError[]
  written: number
}> {
  const { campaign } = await currentCampaign(now)
  const table = await tableOf(input.format, input.file)
  const ids = [...new Set(table.slice(1).map((r) => String(r?.[0] ?? '').trim()))]
  const nodes = new Map<string, OrgNodeDoc>()
  // Every id any column may hold: the node's id column is found by its header, so look all up.
  const candidates = new Set<string>()
  for (const r of table.slice(1))
    for (const c of r ?? []) if (typeof c === 'string') candidates.add(c.trim())
  for (const id of [...ids, ...candidates].slice(0, 5000)) {
    if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(id) || nodes.has(id)) continue
    const n = await cachedNode(id)
    if (n && n.active) nodes.set(id, n)
  }
  const { rows, errors } = validateTargetTable(
    table,
    (id) => nodes.has(id),
    (id) => mayManage(access, nodes.get(id)!.path),
  )
  if (errors.length > 0 || input.dryRun) return { rows, errors, written: 0 }
  const written = await auditedOnce(
    access,
    { scope: 'organiser.importTargets', requestId: input.requestId, input },
    now,
    async (tx) => {
      const before: Record<string, number> = {}
      for (const r of rows) {
        const node = await readDoc<OrgNodeDoc>(tx.collection(ORG_NODES).doc(r.nodeId))
        before[r.nodeId] = node?.targets?.[campaign.id] ?? 0
        await tx
          .collection(ORG_NODES)
          .doc(r.nodeId)
          .update({ data: { targets: { [campaign.id]: r.target } } })
      }
      return { count: rows.length, before }
    },
    {
      action: 'importTargets',
      target: () => null,
      before: (r: { before: Record<string, number> }) => r.before,
      after: () => Object.fromEntries(rows.map((r) => [r.nodeId, r.target])),
    },
  )
  clearConfigCache()
  return { rows, errors: [], written: written.count }
}

export async function setTarget(
  access: Access,
  input: { nodeId: string; target: number; requestId: string },
  now: Date,
) {
  const { campaign } = await currentCampaign(now)
  await scopeOf(access, input.nodeId)
  const r = await auditedOnce(
    access,
    { scope: 'organiser.setTarget', requestId: input.requestId, input },
    now,
    async (tx) => {
      const node = await readDoc<OrgNodeDoc>(tx.collection(ORG_NODES).doc(input.nodeId))
      if (!node) throw new AppError('NODE_NOT_FOUND', '组织不存在或已停用')
      await tx
        .collection(ORG_NODES)
        .doc(input.nodeId)
        .update({ data: { targets: { [campaign.id]: input.target } } })
      return {
        nodeId: input.nodeId,
        target: input.target,
        before: node.targets?.[campaign.id] ?? 0,
      }
    },
    {
      action: 'setTarget',
      target: () => input.nodeId,
      before: (x) => ({ target: x.before }),
      after: (x) => ({ target: x.target }),
    },
  )
  clearConfigCache()
  return r
}

async function putTable(name: string, header: string[], body: unknown[][], format: 'xlsx' | 'csv') {
  let bytes: Buffer
  if (format === 'csv') {
    const lines = [header, ...body].map((r) => r.map(csvCell).join(','))
    bytes = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8')
  } else {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(header)
    for (const r of body) ws.addRow(r)
    bytes = Buffer.from(await wb.xlsx.writeBuffer())
  }
  const fileId = await getStorage().put(`organiser/${name}.${format}`, bytes)
  return { fileId, url: await getStorage().tempUrl(fileId), rows: body.length }
}

export async function exportTargets(
  access: Access,
  input: { nodeId?: string | undefined },
  now: Date,
) {
  const { campaign } = await currentCampaign(now)
  const scope = await scopeOf(access, input.nodeId)
  const nodes = scope
    ? [scope, ...(await subtreeOf(scope))]
    : await subtreeOf((await cachedNode(COMMITTEE_NODE))!)
  const body = await Promise.all(
    nodes.map(async (n) => {
      const t = await readNodeTotals(getDb(), campaign.id, n)
      return [n._id, n.name, n.targets[campaign.id] ?? 0, t.valid]
    }),
  )
  return putTable(
    `targets-${campaign.id}-${scope?._id ?? 'all'}-${now.getTime()}`,
    ['单位编号', '单位名称', '目标样本数', '有效样本数'],
    body,
    'xlsx',
  )
}

// --------------------------------------------------------------------------- activity rewards

function rewardLines(csv: string) {
  const out: Array<{
    line: number
    userCode: string
    amount: number
    reason: string | null
    error: string | null
  }> = []
  const table = csvRows(csv)
  table.forEach((cells, i) => {
    const [code = '', points = '', reason = ''] = cells.map((c) => c.trim())
    if (i === 0 && !/^\d+$/.test(points)) return // a header row
    if (!code && !points) return
    const parsed = userCodeSchema.safeParse(code)
    const amount = /^\d+$/.test(points) ? Number(points) : NaN
    let error: string | null = null
    if (!parsed.success) error = '用户码为 8 位字母数字'
    else if (!Number.isInteger(amount) || amount < 1 || amount > 10_000)
      error = '积分须为 1–10000 的整数'
    out.push({
      line: i + 1,
      userCode: parsed.success ? parsed.data : code,
      amount: Number.isFinite(amount) ? amount : 0,
      reason: reason || null,
      error,
    })
  })
  const seen = new Map<string, number>()
  for (const r of out) {
    if (r.error) continue
    if (seen.has(r.userCode)) r.error = `与第 ${seen.get(r.userCode)} 行重复`
    else seen.set(r.userCode, r.line)
  }
  return out
}

export async function previewRewards(access: Access, input: { csv: string }) {
  requireCommittee(access)
  const lines = rewardLines(input.csv)
  if (lines.length > 500) throw new AppError('BAD_REQUEST', '一次最多发放 500 人')
  const accounts = await accountsByUserCodes(lines.filter((l) => !l.error).map((l) => l.userCode))
  const rows = lines.map((l) => ({
    line: l.line,
    userCode: l.userCode,
    amount: l.amount,
    nickname: accounts.get(l.userCode)?.nickname ?? null,
    error: l.error ?? (accounts.has(l.userCode) ? null : '未找到该用户码对应的用户'),
  }))
  return {
    rows,
    errors: rows.filter((r) => r.error).length,
    total: rows.filter((r) => !r.error).reduce((s, r) => s + r.amount, 0),
  }
}

export async function grantRewards(
  access: Access,
  input: { csv: string; reason: string; requestId: string },
  now: Date,
) {
  const preview = await previewRewards(access, input)
  if (preview.errors > 0 || preview.rows.length === 0)
    throw new AppError('BAD_REQUEST', '名单有误，请先预览并修改后再发放', {
      rows: preview.rows.filter((r) => r.error),
    })
  const result = await grantRewardBatch(
    {
      reason: input.reason,
      grants: preview.rows.map((r) => ({ userCode: r.userCode, amount: r.amount })),
      requestId: input.requestId,
    },
    access.key,
    now,
  )
  // The batch is idempotent by its own key; its audit entry too (set, by the same id).
  await getDb().runTransaction(async (tx) =>
    writeAudit(tx as never, access, {
      scope: 'organiser.grantRewards',
      requestId: input.requestId,
      action: 'grantRewards',
      target: result.batchId,
      before: null,
      after: { reason: input.reason, granted: result.granted, totalPoints: result.totalPoints },
      at: now,
    }),
  )
  return { batchId: result.batchId, granted: result.granted, total: result.totalPoints }
}

// ------------------------------------------------------------------------------- review queue

export const REVIEW_FLAGS = [
  'speeder',
  'inattentive',
  'straight_lining',
  'contradiction',
  'paradata_fast',
  'many_rejections',
] as const

type Reviewed = ResponseDoc & { review?: ReviewRecord }

function signalsOf(rec: ResponseDoc['sections'][string] | undefined): string[] {
  const out: string[] = []
  if (rec?.signals?.paradata?.fast) out.push('paradata_fast')
  if (rec?.signals?.paradata && rec.signals.paradata.plausible === false)
    out.push('paradata_implausible')
  if (rec?.signals?.manyRejections) out.push('many_rejections')
  return out
}

export async function reviewQueue(
  access: Access,
  input: {
    nodeId?: string | undefined
    flag?: string | undefined
    cursor?: string | undefined
    limit: number
  },
  now: Date,
) {
  const { campaign } = await currentCampaign(now)
  const scope = await scopeOf(access, input.nodeId)
  const _ = getDb().command
  const where: Record<string, unknown> = { campaignId: campaign.id, _id: _.gt(input.cursor ?? '') }
  if (scope) where['attribution.nodePath'] = scope._id
  const flag = input.flag
  if (flag === 'paradata_fast') where['sections.main.signals.paradata.fast'] = true
  else if (flag === 'many_rejections') where['sections.main.signals.manyRejections'] = true
  else if (flag) where['sections.main.flags'] = flag
  else where['sample'] = _.neq(null)
  const pseudonym = await pseudonymizer(campaign.id)
  const items: unknown[] = []
  let cursor = input.cursor ?? ''
  let exhausted = false
  // Without a flag, a page of samples is read and the flagged kept: at most 5 pages per call.
  for (let page = 0; page < 5 && items.length < input.limit; page++) {
    const docs = await queryDocs<Reviewed>(
      getDb()
        .collection(RESPONSES)
        .where({ ...where, _id: _.gt(cursor) })
        .orderBy('_id', 'asc')
        .limit(200),
    )
    for (const r of docs) {
      cursor = r._id
      const main = r.sections.main
      if (!r.sample || !main) continue
      const signals = signalsOf(main)
      if (!flag && main.flags.length === 0 && signals.length === 0 && !r.review) continue
      items.push({
        responseId: await sealResponseId(r._id),
        respondent: pseudonym(r.openid),
        version: r.version,
        valid: r.sample.valid,
        flags: main.flags,
        signals,
        submittedAt: new Date(main.submittedAt).toISOString(),
        durationMs: main.durationMs,
        provinceCode: r.sample.provinceCode,
        cityCode: r.sample.cityCode,
        code: r.attribution.code,
        review: r.review
          ? {
              outcome: r.review.outcome,
              reason: r.review.reason,
              at: new Date(r.review.at).toISOString(),
            }
          : null,
      })
      if (items.length >= input.limit) break
    }
    if (docs.length < 200) {
      exhausted = true
      break
    }
  }
  return { items: items as never[], next: exhausted && items.length < input.limit ? null : cursor }
}

async function reviewable(access: Access, handle: string): Promise<Reviewed> {
  const resp = await readDoc<Reviewed>(
    getDb()
      .collection(RESPONSES)
      .doc(await openResponseId(handle)),
  )
  if (!resp) throw new AppError('NOT_FOUND', '没有这份样本')
  if (!access.committee) {
    const path = resp.attribution.nodePath ?? []
    if (path.length === 0 || !mayManage(access, [...path]))
      throw new AppError('FORBIDDEN', '该样本不在您管理的范围内')
  }
  return resp
}

/** Confirm a flagged sample invalid: the committee, or an admin of the sample's chain. */
export async function confirmInvalid(
  access: Access,
  input: { responseId: string; reason: string; requestId: string },
  now: Date,
) {
  return review(access, input, await reviewable(access, input.responseId), 'invalid', now)
}

/** Restore a sample to valid (it grants rewards back): the committee only. */
export async function restoreValid(
  access: Access,
  input: { responseId: string; reason: string; requestId: string },
  now: Date,
) {
  requireCommittee(access)
  return review(access, input, await reviewable(access, input.responseId), 'valid', now)
}

/** A review; the reply and the audit name the sample by its handle and pseudonym, never the openid. */
async function review(
  access: Access,
  input: { responseId: string; reason: string; requestId: string },
  resp: Reviewed,
  outcome: 'invalid' | 'valid',
  now: Date,
) {
  const respondent = (await pseudonymizer(resp.campaignId))(resp.openid)
  const r = await reviewSample(
    { ...input, responseId: resp._id },
    outcome,
    { key: access.key, ...(access.caller ? { caller: access.caller } : {}) },
    now,
    (tx, result) =>
      writeAudit(tx, access, {
        scope: outcome === 'valid' ? 'survey.restoreSample' : 'survey.invalidateSample',
        requestId: input.requestId,
        action: outcome === 'valid' ? 'restoreValid' : 'confirmInvalid',
        target: respondent,
        before: { valid: result.before.valid },
        after: { valid: result.valid, reason: input.reason },
        at: now,
      }),
  )
  return { responseId: input.responseId, valid: r.valid }
}

export async function suggestions(
  access: Access,
  input: {
    nodeId?: string | undefined
    query?: string | undefined
    includeRisky: boolean
    cursor?: string | undefined
    limit: number
  },
  now: Date,
) {
  const { campaign } = await currentCampaign(now)
  const scope = await scopeOf(access, input.nodeId)
  const includeRisky = input.includeRisky && access.committee
  const _ = getDb().command
  const where: Record<string, unknown> = { campaignId: campaign.id, contentChecks: _.exists(true) }
  if (scope) where['attribution.nodePath'] = scope._id
  const pseudonym = await pseudonymizer(campaign.id)
  const items: Array<Record<string, unknown>> = []
  let hiddenRisky = 0
  let cursor = input.cursor ?? ''
  let exhausted = false
  for (let page = 0; page < 5 && items.length < input.limit; page++) {
    const docs = await queryDocs<ResponseDoc>(
      getDb()
        .collection(RESPONSES)
        .where({ ...where, _id: _.gt(cursor) })
        .orderBy('_id', 'asc')
        .limit(200),
    )
    for (const r of docs) {
      cursor = r._id
      for (const [qid, check] of Object.entries(r.contentChecks ?? {})) {
        const text = String(r.answers[qid] ?? '')
        if (!text) continue
        if (check.suggest === 'risky' && !includeRisky) {
          hiddenRisky += 1
          continue
        }
        if (input.query && !text.includes(input.query)) continue
        items.push({
          responseId: await sealResponseId(r._id),
          respondent: pseudonym(r.openid),
          questionId: qid,
          text,
          suggest: check.suggest,
          cityCode: r.sample?.cityCode ?? null,
          submittedAt: new Date(r.lastSubmittedAt ?? r.startedAt).toISOString(),
        })
      }
      if (items.length >= input.limit) break
    }
    if (docs.length < 200) {
      exhausted = true
      break
    }
  }
  return { items: items as never[], next: exhausted ? null : cursor, hiddenRisky }
}

// ---------------------------------------------------------------------------------- subsidies

interface SubsidyDoc {
  form: SubsidyForm
  settledPoints: number
}

const subsidyId = (campaignId: string, nodeId: string) => `${campaignId}:${nodeId}`

/** The initiating units a subsidy is for: the committee's children of kind unit. */
async function subsidyUnits(): Promise<OrgNodeDoc[]> {
  return (await childrenOf(COMMITTEE_NODE)).filter((n) => n.active && n.kind === 'unit')
}

async function subsidyRow(
  campaignId: string,
  unit: OrgNodeDoc,
  doc: SubsidyDoc | null,
): Promise<SubsidyRow> {
  const t = await readNodeTotals(getDb(), campaignId, unit)
  return {
    nodeId: unit._id,
    name: unit.name,
    valid: t.valid,
    form: doc?.form ?? 'money',
    moneyFen: subsidyMoneyFen(t.valid),
    points: subsidyPoints(t.valid),
    settledPoints: doc?.settledPoints ?? 0,
  }
}

export async function subsidyReport(access: Access, now: Date) {
  requireCommittee(access)
  const { campaign } = await currentCampaign(now)
  const rows = await Promise.all(
    (await subsidyUnits()).map(async (u) =>
      subsidyRow(
        campaign.id,
        u,
        await readDoc<SubsidyDoc>(getDb().collection(SUBSIDIES).doc(subsidyId(campaign.id, u._id))),
      ),
    ),
  )
  return { campaignId: campaign.id, rows }
}

export async function setSubsidyForm(
  access: Access,
  input: { nodeId: string; form: SubsidyForm; requestId: string },
  now: Date,
) {
  requireCommittee(access)
  const { campaign } = await currentCampaign(now)
  const unit = (await subsidyUnits()).find((u) => u._id === input.nodeId)
  if (!unit) throw new AppError('NODE_NOT_FOUND', '该单位不是发起单位')
  const id = subsidyId(campaign.id, unit._id)
  const doc = await auditedOnce(
    access,
    { scope: 'organiser.setSubsidyForm', requestId: input.requestId, input },
    now,
    async (tx) => {
      const before = await readDoc<SubsidyDoc>(tx.collection(SUBSIDIES).doc(id))
      const next: SubsidyDoc = { form: input.form, settledPoints: before?.settledPoints ?? 0 }
      await tx.collection(SUBSIDIES).doc(id).set({ data: next })
      return { ...next, before: before?.form ?? 'money' }
    },
    {
      action: 'setSubsidyForm',
      target: () => unit._id,
      before: (r: { before: SubsidyForm }) => ({ form: r.before }),
      after: () => ({ form: input.form }),
    },
  )
  return subsidyRow(campaign.id, unit, doc)
}

/**
 * Settle the points form of every unit in one idempotent batch: each unit on points gets what
 * it is owed beyond earlier settlements, as a `publicity_subsidy` entry on `node:<id>` with the
 * settled count beside it, all in one transaction.
 */
export async function settleSubsidies(access: Access, input: { requestId: string }, now: Date) {
  requireCommittee(access)
  const { campaign } = await currentCampaign(now)
  const units = await subsidyUnits()
  const totals = new Map(
    await Promise.all(
      units.map(
        async (u) => [u._id, (await readNodeTotals(getDb(), campaign.id, u)).valid] as const,
      ),
    ),
  )
  return auditedOnce(
    access,
    { scope: 'organiser.settleSubsidies', requestId: input.requestId, input },
    now,
    async (tx) => {
      const settled: Array<{ nodeId: string; points: number }> = []
      for (const u of units) {
        const id = subsidyId(campaign.id, u._id)
        const doc = await readDoc<SubsidyDoc>(tx.collection(SUBSIDIES).doc(id))
        const owed = subsidyPointsOwed(
          doc?.form ?? 'money',
          totals.get(u._id) ?? 0,
          doc?.settledPoints ?? 0,
        )
        if (owed <= 0) continue
        const after = (doc?.settledPoints ?? 0) + owed
        const account = await accountInTx(tx, nodeAccountId(u._id), now)
        await postEntry(tx, account, {
          id: `${nodeAccountId(u._id)}:subsidy:${campaign.id}:${after}`,
          kind: 'publicity_subsidy',
          amount: owed,
          ref: id,
          requestId: input.requestId,
          memo: `宣传补贴：${totals.get(u._id)} 份有效样本`,
          now,
        })
        await tx
          .collection(SUBSIDIES)
          .doc(id)
          .set({ data: { form: 'points', settledPoints: after } })
        settled.push({ nodeId: u._id, points: owed })
      }
      return { settled, points: settled.reduce((s, x) => s + x.points, 0) }
    },
    { action: 'settleSubsidies', target: () => campaign.id, before: () => null, after: (r) => r },
  )
}

export async function exportSubsidies(access: Access, now: Date) {
  const { campaignId, rows } = await subsidyReport(access, now)
  return putTable(
    `subsidies-${campaignId}-${now.getTime()}`,
    ['单位编号', '单位名称', '有效样本数', '补贴形式', '补贴金额（元）', '补贴积分', '已结算积分'],
    rows.map((r) => [
      r.nodeId,
      r.name,
      r.valid,
      r.form === 'money' ? '资金' : '积分',
      r.form === 'money' ? yuanText(r.moneyFen) : '',
      r.form === 'points' ? r.points : '',
      r.settledPoints,
    ]),
    'xlsx',
  )
}
