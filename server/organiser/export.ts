// Export of valid samples (样本导出): the caller's scope as XLSX (answers + a codebook sheet) or
// CSV, pseudonymous respondent ids (a keyed hash — no openid is ever written), region and
// attribution. A job record tracks progress; rows are read in pages of at most 1,000 (CloudBase's
// per-query limit) by _id, only the fields written, and streamed to a file (exceljs' streaming
// writer, or a CSV stream) that a page waits for, so memory stays flat whatever the size; the file
// goes to cloud storage and the job names its link.
import { createHash } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { Writable } from 'node:stream'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { csvCell, type ExportJob, type Question, type Questionnaire } from 'wal-core'
import { AppError } from '../app-error'
import { getDb, queryDocs, readDoc } from '../db'
import { currentCampaign, questionnaireFor } from '../records/campaigns'
import { RESPONSES, type ResponseDoc, type SectionRecord } from '../records/responses'
import { readNodeTotals } from '../records/stats'
import { getStorage } from '../storage'
import { auditedOnce, pseudonymizer, scopeOf, type Access } from './access'
import { nationalTotal } from './dashboard'

export const EXPORT_JOBS = 'exportJobs'
export const EXPORT_PAGE = 1_000

interface JobDoc {
  _id: string
  campaignId: string
  scope: string | null
  format: 'xlsx' | 'csv'
  status: ExportJob['status']
  rows: number
  expected: number
  fileId: string | null
  error: string | null
  by: string
  startedAt: Date
  finishedAt: Date | null
}

function view(job: JobDoc, url: string | null): ExportJob {
  return {
    jobId: job._id,
    status: job.status,
    format: job.format,
    scope: job.scope,
    rows: job.rows,
    expected: job.expected,
    url,
    fileId: job.fileId,
    error: job.error,
    startedAt: new Date(job.startedAt).toISOString(),
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
  }
}

/** Every question of the questionnaire (both versions), once, in order: the export's columns. */
function questionsOf(q: Questionnaire): Array<{ id: string; section: string; q: Question }> {
  const out: Array<{ id: string; section: string; q: Question }> = []
  const seen = new Set<string>()
  for (const v of q.versions)
    for (const s of v.sections)
      for (const question of s.questions) {
        if (seen.has(question.id)) continue
        seen.add(question.id)
        out.push({ id: question.id, section: s.id, q: question })
      }
  return out
}

function cellOf(value: unknown): string | number {
  if (value === undefined || value === null) return ''
  if (typeof value === 'number') return value
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.join(';')
  return JSON.stringify(value)
}

function codebook(q: Question): string {
  if ('options' in q) return q.options.map((o) => `${o.value}=${o.label}`).join('; ')
  if (q.type === 'matrix')
    return `${q.rows.map((r) => `${r.id}=${r.label}`).join('; ')} | 1–5: ${q.labels.join('/')}`
  if ('labels' in q) return `1–5: ${q.labels.join('/')}`
  return q.type
}

const FIXED = [
  'respondent',
  'version',
  'provinceCode',
  'cityCode',
  'unitId',
  'stationId',
  'teamId',
  'code',
  'submittedAt',
]

/**
 * A sink for rows: the XLSX streaming writer or a CSV stream. `row` only queues a row; `drained`
 * waits, once per page, until the file has taken what was queued (back-pressure without a
 * promise per row).
 */
interface Sink {
  row(cells: Array<string | number>): void
  drained(): Promise<void>
  close(): Promise<void>
}

/** Whether a writable holds more than its high-water mark (Node's streams and readable-stream 2's). */
function needsDrain(w: Writable): boolean {
  return (
    w.writableNeedDrain ??
    (w as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain ??
    false
  )
}

/** Resolves once `w` has passed on its buffer (at once when nothing is waiting). */
function drainOf(w: Writable): Promise<void> {
  if (!needsDrain(w)) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      w.off('drain', done)
      w.off('error', done)
      if (err) reject(err)
      else resolve()
    }
    w.on('drain', done)
    w.on('error', done)
  })
}

/**
 * The stream a worksheet's XML goes through into the zip: exceljs pipes the sheet into the
 * archiver's input (a PassThrough) without ever waiting for it, so a sheet written faster than
 * it is deflated would pile up there — the whole sheet, at 1M rows some GB. Reached through
 * exceljs 4's internals (WorksheetWriter.stream.pipes); the unit tests fail if they move.
 */
export function zipInputOf(sheet: ExcelJS.Worksheet): Writable {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes
  const input = Array.isArray(pipes) ? (pipes[0] as Writable | undefined) : undefined
  if (!input || typeof input.write !== 'function' || typeof input.on !== 'function')
    throw new Error('exceljs: the worksheet stream is not piped into the zip as expected')
  return input
}

function csvSink(file: string, header: string[]): Sink {
  const out = createWriteStream(file)
  out.write(`\uFEFF${header.map(csvCell).join(',')}\r\n`)
  return {
    row(cells) {
      out.write(`${cells.map(csvCell).join(',')}\r\n`)
    },
    drained: () => drainOf(out),
    close: () =>
      new Promise((resolve, reject) =>
        out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      ),
  }
}

function xlsxSink(file: string, header: string[], questions: ReturnType<typeof questionsOf>): Sink {
  const out = createWriteStream(file)
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  })
  const data = wb.addWorksheet('samples')
  const zipInput = zipInputOf(data)
  data.addRow(header).commit()
  return {
    row(cells) {
      data.addRow(cells).commit()
    },
    async drained() {
      await drainOf(zipInput)
      await drainOf(out)
    },
    async close() {
      data.commit()
      const book = wb.addWorksheet('codebook')
      book.addRow(['questionId', 'section', 'type', 'title', 'values']).commit()
      for (const c of questions)
        book.addRow([c.id, c.section, c.q.type, c.q.title, codebook(c.q)]).commit()
      book.addRow(['respondent', '', 'id', '匿名受访者编号（密钥哈希，非 openid）', '']).commit()
      book.commit()
      await wb.commit()
    },
  }
}

/** What the export reads of a response: the rest (paradata, signals, refusals) stays behind. */
export type ExportedResponse = Pick<
  ResponseDoc,
  '_id' | 'openid' | 'version' | 'attribution' | 'answers' | 'sample'
> & { sections?: Record<string, Pick<SectionRecord, 'submittedAt'> | undefined> }

/** The fields of `ExportedResponse`, as a projection (main sections: each version's first). */
export function exportProjection(q: Questionnaire): Record<string, true> {
  const fields: Record<string, true> = {
    openid: true,
    version: true,
    attribution: true,
    answers: true,
    sample: true,
  }
  for (const v of q.versions) fields[`sections.${v.sections[0]!.id}.submittedAt`] = true
  return fields
}

/**
 * The valid samples of a scope, page by page: a keyset walk (`_id` > the last one seen, ordered
 * by `_id`), at most EXPORT_PAGE per query — never an offset, which CloudBase (and MongoDB)
 * would count through from the start for every page.
 */
export async function* validSamples(
  campaignId: string,
  nodeId: string | null,
  fields: Record<string, true>,
): AsyncGenerator<ExportedResponse[]> {
  const _ = getDb().command
  let last = ''
  for (;;) {
    const where: Record<string, unknown> = { campaignId, 'sample.valid': true, _id: _.gt(last) }
    if (nodeId) where['attribution.nodePath'] = nodeId
    const page = await queryDocs<ExportedResponse>(
      getDb()
        .collection(RESPONSES)
        .where(where)
        .orderBy('_id', 'asc')
        .limit(EXPORT_PAGE)
        .field(fields),
    )
    if (page.length > 0) yield page
    if (page.length < EXPORT_PAGE) return
    last = page[page.length - 1]!._id
  }
}

/**
 * Write the export file of a scope; `progress` is told the rows written after every page.
 * Returns the rows written. Exported for the benchmark (it measures this without the job).
 */
export async function writeExport(
  campaignId: string,
  nodeId: string | null,
  format: 'xlsx' | 'csv',
  file: string,
  progress: (rows: number) => Promise<void>,
): Promise<number> {
  const q = await questionnaireFor(campaignId)
  const questions = questionsOf(q)
  const header = [...FIXED, ...questions.map((c) => c.id)]
  const pseudonym = await pseudonymizer(campaignId)
  const mainOf = new Map(q.versions.map((v) => [v.id as string, v.sections[0]!.id]))
  const sink = format === 'csv' ? csvSink(file, header) : xlsxSink(file, header, questions)
  let rows = 0
  for await (const page of validSamples(campaignId, nodeId, exportProjection(q))) {
    for (const r of page) {
      const main = r.sections?.[mainOf.get(r.version) ?? '']
      const cells: Array<string | number> = [
        pseudonym(r.openid),
        r.version,
        r.sample?.provinceCode ?? '',
        r.sample?.cityCode ?? '',
        r.attribution.unitId ?? '',
        r.attribution.stationId ?? '',
        r.attribution.teamId ?? '',
        r.attribution.code ?? '',
        main ? new Date(main.submittedAt).toISOString() : '',
      ]
      for (const c of questions) cells.push(cellOf(r.answers[c.id]))
      sink.row(cells)
      rows += 1
    }
    await sink.drained()
    await progress(rows)
  }
  await sink.close()
  return rows
}

/**
 * Start an export job and run it in this invocation (the function's timeout is set for it in
 * config.json); the console polls exportJob meanwhile for its progress. A retry with the same
 * requestId returns the job as it stands.
 */
export async function startExport(
  access: Access,
  input: { nodeId?: string | undefined; format: 'xlsx' | 'csv'; requestId: string },
  now: Date,
): Promise<ExportJob> {
  const { campaign } = await currentCampaign(now)
  const scope = await scopeOf(access, input.nodeId)
  const expected = scope
    ? (await readNodeTotals(getDb(), campaign.id, scope)).valid
    : (await nationalTotal(campaign.id)).valid
  const jobId = `export-${createHash('sha256').update(`${access.key}:${input.requestId}`).digest('hex').slice(0, 24)}`
  const created = await auditedOnce(
    access,
    { scope: 'organiser.startExport', requestId: input.requestId, input },
    now,
    async (tx) => {
      const job: Omit<JobDoc, '_id'> = {
        campaignId: campaign.id,
        scope: scope?._id ?? null,
        format: input.format,
        status: 'running',
        rows: 0,
        expected,
        fileId: null,
        error: null,
        by: access.key,
        startedAt: now,
        finishedAt: null,
      }
      await tx.collection(EXPORT_JOBS).doc(jobId).set({ data: job })
      return { jobId, fresh: true }
    },
    {
      action: 'startExport',
      target: (r) => r.jobId,
      before: () => null,
      after: () => ({ scope: scope?._id ?? null, format: input.format, expected }),
    },
  )
  const ref = getDb().collection(EXPORT_JOBS).doc(created.jobId)
  const job = (await readDoc<JobDoc>(ref))!
  if (job.status !== 'running' || job.rows > 0) return exportJob(access, { jobId: job._id })
  const dir = mkdtempSync(path.join(tmpdir(), 'wal-export-'))
  const file = path.join(dir, `samples.${input.format}`)
  try {
    const rows = await writeExport(campaign.id, scope?._id ?? null, input.format, file, (n) =>
      ref.update({ data: { rows: n } }).then(() => undefined),
    )
    const fileId = await getStorage().put(
      `exports/${campaign.id}/${job._id}.${input.format}`,
      readFileSync(file),
    )
    await ref.update({ data: { status: 'done', rows, fileId, finishedAt: new Date() } })
    console.log(
      `[organiser.export] ${job._id} by ${access.who.kind}:${access.who.id} scope ${job.scope ?? 'all'}: ${rows} rows`,
    )
  } catch (err) {
    console.error(`[organiser.export] ${job._id} failed`, err)
    await ref.update({
      data: { status: 'failed', error: '导出失败，请重试', finishedAt: new Date() },
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return exportJob(access, { jobId: job._id })
}

export async function exportJob(access: Access, input: { jobId: string }): Promise<ExportJob> {
  const job = await readDoc<JobDoc>(getDb().collection(EXPORT_JOBS).doc(input.jobId))
  if (!job || (job.by !== access.key && !access.committee))
    throw new AppError('NOT_FOUND', '没有这个导出任务')
  return view(job, job.fileId ? await getStorage().tempUrl(job.fileId) : null)
}
