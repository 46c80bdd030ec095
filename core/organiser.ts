// Contract of the `organiser` cloud function (组委会 and 发起单位 desks: the web console and, for
// myPrizes, the mini-program): dashboard, targets, activity rewards, review, export, subsidies,
// the verifiable offline draw and the audit log. Rules live in core/offline-draw.ts,
// core/subsidy.ts and core/targets.ts; docs/console.md describes every action.
import { z } from 'zod'
import { defineContract } from './contract-kit'
import { nodeIdSchema } from './org'
import { requestIdSchema } from './survey'

const tally = z.object({ valid: z.number().int(), invalid: z.number().int() })
export type OrganiserTally = z.infer<typeof tally>
/** A node of the caller's scope (an organisation node id), or none: the committee's whole campaign. */
const scopeInput = { nodeId: nodeIdSchema.optional() }
const dayKey = z.string().regex(/^\d{8}$/, 'day: YYYYMMDD (China time)')
const regionCode = z.string().regex(/^\d{6}$/, '6-digit administrative code')
const cursor = z.string().max(200).optional()
/** A file sent by the console: base64 of its bytes (XLSX or CSV), at most ~3 MB decoded. */
const fileBase64 = z.string().min(1).max(4_000_000)

export const callerKindSchema = z.enum(['wechat', 'web'])

export const organiserInputs = {
  whoami: z.object({}),
  dashboard: z.object({ ...scopeInput, day: dayKey.optional() }),
  /** Cheap polling: changes whenever a counter of the scope moved (one small read). */
  changeToken: z.object(scopeInput),
  codeBreakdown: z.object({
    ...scopeInput,
    cursor,
    limit: z.number().int().min(1).max(200).default(100),
  }),
  /** 采集任务分解表: validated row by row; nothing is written when any row is wrong or dryRun. */
  importTargets: z.object({
    format: z.enum(['xlsx', 'csv']),
    file: fileBase64,
    dryRun: z.boolean().default(false),
    requestId: requestIdSchema,
  }),
  setTarget: z.object({
    nodeId: nodeIdSchema,
    target: z.number().int().min(0).max(100_000_000),
    requestId: requestIdSchema,
  }),
  exportTargets: z.object(scopeInput),
  /** CSV of `userCode,points[,reason]` (a header row is optional). */
  previewRewards: z.object({ csv: z.string().min(1).max(1_000_000) }),
  grantRewards: z.object({
    csv: z.string().min(1).max(1_000_000),
    reason: z.string().trim().min(1).max(50),
    requestId: requestIdSchema,
  }),
  reviewQueue: z.object({
    ...scopeInput,
    flag: z.string().max(40).optional(),
    cursor,
    limit: z.number().int().min(1).max(100).default(50),
  }),
  confirmInvalid: z.object({
    responseId: z.string().min(3).max(200),
    reason: z.string().trim().min(1).max(200),
    requestId: requestIdSchema,
  }),
  restoreValid: z.object({
    responseId: z.string().min(3).max(200),
    reason: z.string().trim().min(1).max(200),
    requestId: requestIdSchema,
  }),
  suggestions: z.object({
    ...scopeInput,
    query: z.string().trim().max(50).optional(),
    includeRisky: z.boolean().default(false),
    cursor,
    limit: z.number().int().min(1).max(100).default(50),
  }),
  startExport: z.object({
    ...scopeInput,
    format: z.enum(['xlsx', 'csv']),
    requestId: requestIdSchema,
  }),
  exportJob: z.object({ jobId: z.string().min(1).max(200) }),
  subsidyReport: z.object({}),
  setSubsidyForm: z.object({
    nodeId: nodeIdSchema,
    form: z.enum(['money', 'points']),
    requestId: requestIdSchema,
  }),
  settleSubsidies: z.object({ requestId: requestIdSchema }),
  exportSubsidies: z.object({}),
  defineDraw: z.object({
    title: z.string().trim().min(1).max(60),
    regionCode,
    prizes: z
      .array(
        z.object({
          kind: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
          label: z.string().trim().min(1).max(40),
          count: z.number().int().min(1).max(100_000),
          claim: z.string().trim().min(1).max(300),
        }),
      )
      .min(1)
      .max(20),
    requestId: requestIdSchema,
  }),
  /** Fix the eligible list and publish its digest with the seed's hash (the seed stays with the organiser). */
  commitDraw: z.object({
    drawId: z.string().min(1).max(100),
    seedHash: z.string().regex(/^[0-9a-f]{64}$/),
    requestId: requestIdSchema,
  }),
  /** Reveal the seed (its SHA-256 must equal the committed hash): winners follow from it. */
  revealDraw: z.object({
    drawId: z.string().min(1).max(100),
    seed: z.string().regex(/^[0-9a-f]{64}$/, 'seed: 64 hex characters (32 random bytes)'),
    requestId: requestIdSchema,
  }),
  draws: z.object({}),
  draw: z.object({ drawId: z.string().min(1).max(100) }),
  /** The mini-program: the caller's prizes of offline draws (我的奖品). */
  myPrizes: z.object({}),
  auditLog: z.object({ cursor, limit: z.number().int().min(1).max(200).default(50) }),
}

const nodeRow = z.object({
  nodeId: z.string(),
  name: z.string(),
  kind: z.string(),
  parent: z.string().nullable(),
  depth: z.number().int(),
  total: tally,
  today: tally,
  target: z.number().int(),
})

export const alertSchema = z.object({
  kind: z.enum(['code_velocity', 'invalid_share', 'paradata_outliers']),
  subject: z.string(),
  message: z.string(),
  value: z.number(),
})
export type OrganiserAlert = z.infer<typeof alertSchema>

export const dashboardSchema = z.object({
  campaignId: z.string(),
  scope: z.object({ nodeId: z.string().nullable(), name: z.string() }),
  token: z.string(),
  /** The national total, for everyone. */
  national: tally,
  total: tally,
  today: tally,
  target: z.number().int(),
  /** valid / target (0 without a target). */
  progress: z.number(),
  /** The scope's nodes (units, sub-units, stations, teams) with their subtree's counts. */
  nodes: z.array(nodeRow),
  provinces: z.array(tally.extend({ code: z.string() })),
  /** Cities of the scope (the committee: of `day` if given, else of the whole campaign). */
  cities: z.array(tally.extend({ code: z.string() })),
  days: z.array(tally.extend({ day: z.string() })),
  /** Hours (00–23) of `day` (default: today). */
  hours: z.array(tally.extend({ hour: z.string() })),
  /** Counts by signal: `paradataOutliers`, the scope's samples with outlying paradata. */
  flags: z.record(z.string(), z.number().int()),
  alerts: z.array(alertSchema),
  /**
   * The scope's share codes with the most valid samples (at most 10), from its ranking
   * (codeRanks, kept by a timer every minute; `rankedAt` its last pass, null before one). The
   * national view has none: codes rank under their units.
   */
  topCodes: z
    .array(z.object({ code: z.string(), label: z.string().nullable(), total: tally, today: tally }))
    .default([]),
  rankedAt: z.string().nullable().default(null),
})
export type Dashboard = z.infer<typeof dashboardSchema>

const codeRow = z.object({
  code: z.string(),
  label: z.string().nullable(),
  ownerKind: z.string(),
  nodeId: z.string().nullable(),
  total: tally,
  today: tally,
})

export const importErrorSchema = z.object({
  row: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
})
export type ImportError = z.infer<typeof importErrorSchema>

const fileLink = z.object({ fileId: z.string(), url: z.string(), rows: z.number().int() })

const rewardRow = z.object({
  line: z.number().int(),
  userCode: z.string(),
  amount: z.number().int(),
  nickname: z.string().nullable(),
  error: z.string().nullable(),
})

const reviewItem = z.object({
  responseId: z.string(),
  respondent: z.string(),
  version: z.string(),
  valid: z.boolean(),
  flags: z.array(z.string()),
  signals: z.array(z.string()),
  submittedAt: z.string(),
  durationMs: z.number(),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  code: z.string().nullable(),
  review: z.object({ outcome: z.string(), reason: z.string(), at: z.string() }).nullable(),
})

const suggestion = z.object({
  responseId: z.string(),
  respondent: z.string(),
  questionId: z.string(),
  text: z.string(),
  suggest: z.string(),
  cityCode: z.string().nullable(),
  submittedAt: z.string(),
})

export const exportJobSchema = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  format: z.enum(['xlsx', 'csv']),
  scope: z.string().nullable(),
  rows: z.number().int(),
  /** Valid samples of the scope when the job started (the progress' denominator). */
  expected: z.number().int(),
  url: z.string().nullable(),
  fileId: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
})
export type ExportJob = z.infer<typeof exportJobSchema>

export const subsidyRowSchema = z.object({
  nodeId: z.string(),
  name: z.string(),
  valid: z.number().int(),
  form: z.enum(['money', 'points']),
  /** Money form: 10% of the valid samples in yuan, as fen (10,000 samples → 100,000 fen = ¥1,000). */
  moneyFen: z.number().int(),
  /** Points form: one point per valid sample. */
  points: z.number().int(),
  settledPoints: z.number().int(),
})
export type SubsidyRow = z.infer<typeof subsidyRowSchema>

export const drawPrizeSchema = organiserInputs.defineDraw.shape.prizes.element
export const drawWinnerSchema = z.object({
  slot: z.number().int(),
  prizeKind: z.string(),
  index: z.number().int(),
  id: z.string(),
})

/** A draw as published: everything `npm run verify-draw` needs besides the eligible list. */
export const drawRecordSchema = z.object({
  drawId: z.string(),
  campaignId: z.string(),
  title: z.string(),
  regionCode: z.string(),
  prizes: z.array(drawPrizeSchema),
  status: z.enum(['defined', 'committed', 'revealed']),
  algorithm: z.string(),
  eligibleCount: z.number().int().nullable(),
  listDigest: z.string().nullable(),
  seedHash: z.string().nullable(),
  seed: z.string().nullable(),
  /** The sorted eligible pseudonymous ids, one a line (a file in storage, fixed at commit). */
  listUrl: z.string().nullable(),
  winners: z.array(drawWinnerSchema).nullable(),
  definedAt: z.string(),
  committedAt: z.string().nullable(),
  revealedAt: z.string().nullable(),
})
export type DrawRecord = z.infer<typeof drawRecordSchema>

export const prizeSchema = z.object({
  drawId: z.string(),
  title: z.string(),
  /** The draw's region (6-digit code) and its name where the campaign knows it. */
  regionCode: z.string(),
  regionName: z.string().nullable(),
  prizeKind: z.string(),
  label: z.string(),
  /** How to claim it, as the organiser wrote it ('' when the record has none). */
  claim: z.string(),
  revealedAt: z.string(),
  /** The draw's public record, so a winner can check it was fair (npm run verify-draw). */
  verification: z.object({
    algorithm: z.string(),
    eligibleCount: z.number().int().nullable(),
    listDigest: z.string().nullable(),
    seedHash: z.string().nullable(),
    seed: z.string().nullable(),
  }),
})
export type MyPrize = z.infer<typeof prizeSchema>

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  who: z.object({ kind: callerKindSchema, id: z.string() }),
  action: z.string(),
  target: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const organiserContract = defineContract('organiser', {
  whoami: {
    input: organiserInputs.whoami,
    output: z.object({
      caller: z.object({ kind: callerKindSchema, id: z.string() }),
      committee: z.boolean(),
      nodes: z.array(z.object({ nodeId: z.string(), name: z.string(), role: z.string() })),
    }),
  },
  dashboard: { input: organiserInputs.dashboard, output: dashboardSchema },
  changeToken: { input: organiserInputs.changeToken, output: z.object({ token: z.string() }) },
  codeBreakdown: {
    input: organiserInputs.codeBreakdown,
    output: z.object({
      codes: z.array(codeRow),
      next: z.string().nullable(),
      alerts: z.array(alertSchema),
    }),
  },
  importTargets: {
    input: organiserInputs.importTargets,
    output: z.object({
      rows: z.array(z.object({ row: z.number().int(), nodeId: z.string(), target: z.number() })),
      errors: z.array(importErrorSchema),
      written: z.number().int(),
    }),
    mutating: true,
  },
  setTarget: {
    input: organiserInputs.setTarget,
    output: z.object({ nodeId: z.string(), target: z.number().int(), before: z.number().int() }),
    mutating: true,
  },
  exportTargets: { input: organiserInputs.exportTargets, output: fileLink },
  previewRewards: {
    input: organiserInputs.previewRewards,
    output: z.object({
      rows: z.array(rewardRow),
      errors: z.number().int(),
      total: z.number().int(),
    }),
  },
  grantRewards: {
    input: organiserInputs.grantRewards,
    output: z.object({
      batchId: z.string(),
      granted: z.number().int(),
      total: z.number().int(),
    }),
    mutating: true,
  },
  reviewQueue: {
    input: organiserInputs.reviewQueue,
    output: z.object({ items: z.array(reviewItem), next: z.string().nullable() }),
  },
  confirmInvalid: {
    input: organiserInputs.confirmInvalid,
    output: z.object({ responseId: z.string(), valid: z.boolean() }),
    mutating: true,
  },
  restoreValid: {
    input: organiserInputs.restoreValid,
    output: z.object({ responseId: z.string(), valid: z.boolean() }),
    mutating: true,
  },
  suggestions: {
    input: organiserInputs.suggestions,
    output: z.object({
      items: z.array(suggestion),
      next: z.string().nullable(),
      hiddenRisky: z.number().int(),
    }),
  },
  startExport: { input: organiserInputs.startExport, output: exportJobSchema, mutating: true },
  exportJob: { input: organiserInputs.exportJob, output: exportJobSchema },
  subsidyReport: {
    input: organiserInputs.subsidyReport,
    output: z.object({ campaignId: z.string(), rows: z.array(subsidyRowSchema) }),
  },
  setSubsidyForm: {
    input: organiserInputs.setSubsidyForm,
    output: subsidyRowSchema,
    mutating: true,
  },
  settleSubsidies: {
    input: organiserInputs.settleSubsidies,
    output: z.object({
      settled: z.array(z.object({ nodeId: z.string(), points: z.number().int() })),
      points: z.number().int(),
    }),
    mutating: true,
  },
  exportSubsidies: { input: organiserInputs.exportSubsidies, output: fileLink },
  defineDraw: { input: organiserInputs.defineDraw, output: drawRecordSchema, mutating: true },
  commitDraw: { input: organiserInputs.commitDraw, output: drawRecordSchema, mutating: true },
  revealDraw: { input: organiserInputs.revealDraw, output: drawRecordSchema, mutating: true },
  draws: { input: organiserInputs.draws, output: z.object({ draws: z.array(drawRecordSchema) }) },
  draw: { input: organiserInputs.draw, output: drawRecordSchema },
  myPrizes: { input: organiserInputs.myPrizes, output: z.object({ prizes: z.array(prizeSchema) }) },
  auditLog: {
    input: organiserInputs.auditLog,
    output: z.object({ entries: z.array(auditEntrySchema), next: z.string().nullable() }),
  },
})
