// WeChat Pay (API v3) settings of a deployment, read from the `payout` function's environment
// variables (docs/operations.md) and checked with zod. Keys are PEM text; CloudBase's console
// keeps a variable on one line, so a literal `\n` in the value stands for a line break.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { z } from 'zod'

export const DEFAULT_BASE_URL = 'https://api.mch.weixin.qq.com'

/** Without every one of these, payouts are not configured and stay queued. */
export const REQUIRED_ENV = [
  'WXPAY_MCHID',
  'WXPAY_APPID',
  'WXPAY_CERT_SERIAL_NO',
  'WXPAY_PRIVATE_KEY',
  'WXPAY_PUBLIC_KEY_ID',
  'WXPAY_PUBLIC_KEY',
  'WXPAY_TRANSFER_SCENE_ID',
] as const

/** Optional settings (defaults in parentheses in docs/operations.md). */
export const OPTIONAL_ENV = [
  'WXPAY_BASE_URL',
  'WXPAY_ACTIVITY_NAME',
  'WXPAY_REWARD_NOTE',
  'WXPAY_USER_RECV_PERCEPTION',
  'WXPAY_SCENE_REPORT_INFOS',
] as const

type EnvName = (typeof REQUIRED_ENV)[number] | (typeof OPTIONAL_ENV)[number]
export type WechatPayEnv = Partial<Record<EnvName, string | undefined>>

/** 现金营销: the scene whose report infos (活动名称, 奖励说明) this adapter knows how to fill. */
export const CASH_MARKETING_SCENE = '1000'
/** What scene 1000 accepts as user_recv_perception (WeChat Pay's scene table). */
const CASH_MARKETING_PERCEPTIONS = ['活动奖励', '现金奖励']

export interface SceneReportInfo {
  info_type: string
  info_content: string
}

export interface WechatPayConfig {
  mchId: string
  appId: string
  /** Serial number of the merchant API certificate: `serial_no` in each request's signature. */
  certSerialNo: string
  /** The merchant API private key that signs requests. */
  privateKey: KeyObject
  /** WeChat Pay public key id (PUB_KEY_ID_…) or platform certificate serial: replies must carry it. */
  publicKeyId: string
  /** Verifies replies. */
  publicKey: KeyObject
  transferSceneId: string
  baseUrl: string
  /** 活动名称 of scene 1000; null: the campaign's name. */
  activityName: string | null
  /** 奖励说明 of scene 1000. */
  rewardNote: string
  userRecvPerception: string | null
  /** Report infos sent as is (scenes other than 1000 must give them). */
  sceneReportInfos: SceneReportInfo[] | null
}

/** Turns `\n` written as two characters into line breaks, and wraps a bare base64 body. */
function pemText(raw: string, label: 'PRIVATE KEY' | 'PUBLIC KEY'): string {
  const text = raw.replace(/\\n/g, '\n').trim()
  if (text.includes('-----BEGIN')) return `${text}\n`
  const body = text.replace(/\s+/g, '')
  const lines = body.match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

const privateKeySchema = z.string().transform((raw, ctx) => {
  try {
    const key = createPrivateKey(pemText(raw, 'PRIVATE KEY'))
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key')
    return key
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not an RSA private key (${String(err)})` })
    return z.NEVER
  }
})

const publicKeySchema = z.string().transform((raw, ctx) => {
  try {
    const pem = pemText(raw, 'PUBLIC KEY')
    // A platform certificate (平台证书) works as well as the public key (微信支付公钥).
    const key = pem.includes('BEGIN CERTIFICATE')
      ? new X509Certificate(pem).publicKey
      : createPublicKey(pem)
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key')
    return key
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `not an RSA public key (${String(err)})` })
    return z.NEVER
  }
})

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

const baseUrlSchema = z
  .url()
  .refine((u) => {
    const url = new URL(u)
    // Plain http only to this machine: the tests' fake WeChat Pay server.
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))
  }, 'must be https (http only for 127.0.0.1 / localhost)')
  .transform((u) => u.replace(/\/+$/, ''))

/** Text WeChat shows or stores: 1–32 characters. */
const shortText = z.string().trim().min(1).max(32)

const reportInfosSchema = z.string().transform((raw, ctx) => {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON array' })
    return z.NEVER
  }
  const infos = z
    .array(z.object({ info_type: z.string().min(1).max(15), info_content: shortText }).strict())
    .min(1)
    .safeParse(parsed)
  if (!infos.success) {
    ctx.addIssue({ code: 'custom', message: z.prettifyError(infos.error) })
    return z.NEVER
  }
  return infos.data
})

const envSchema = z
  .object({
    WXPAY_MCHID: z
      .string()
      .trim()
      .regex(/^\d{6,32}$/, 'digits only'),
    WXPAY_APPID: z.string().trim().min(1).max(32),
    WXPAY_CERT_SERIAL_NO: z
      .string()
      .trim()
      .regex(/^[0-9A-Fa-f]{8,64}$/, 'hexadecimal'),
    WXPAY_PRIVATE_KEY: privateKeySchema,
    WXPAY_PUBLIC_KEY_ID: z.string().trim().min(1).max(128),
    WXPAY_PUBLIC_KEY: publicKeySchema,
    WXPAY_TRANSFER_SCENE_ID: z
      .string()
      .trim()
      .regex(/^\d{1,36}$/, 'digits only'),
    WXPAY_BASE_URL: baseUrlSchema.optional(),
    WXPAY_ACTIVITY_NAME: shortText.optional(),
    WXPAY_REWARD_NOTE: shortText.optional(),
    WXPAY_USER_RECV_PERCEPTION: shortText.optional(),
    WXPAY_SCENE_REPORT_INFOS: reportInfosSchema.optional(),
  })
  .superRefine((env, ctx) => {
    const cashMarketing = env.WXPAY_TRANSFER_SCENE_ID === CASH_MARKETING_SCENE
    if (
      cashMarketing &&
      env.WXPAY_USER_RECV_PERCEPTION !== undefined &&
      !CASH_MARKETING_PERCEPTIONS.includes(env.WXPAY_USER_RECV_PERCEPTION)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['WXPAY_USER_RECV_PERCEPTION'],
        message: `scene 1000 accepts ${CASH_MARKETING_PERCEPTIONS.join(' or ')}`,
      })
    }
    if (!cashMarketing && env.WXPAY_SCENE_REPORT_INFOS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['WXPAY_SCENE_REPORT_INFOS'],
        message: `scene ${env.WXPAY_TRANSFER_SCENE_ID} needs its report infos as JSON (only 1000 is built in)`,
      })
    }
  })

export type ConfigRead =
  | { status: 'ok'; config: WechatPayConfig }
  /** None of the required variables is set: payouts are simply not switched on. */
  | { status: 'missing' }
  /** Some are set but the whole is unusable: the operator has a mistake to fix. */
  | { status: 'invalid'; problems: string[] }

const DEFAULT_REWARD_NOTE = '问卷调查抽奖现金红包'

function present(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== ''
}

/** The configuration in `env` (process.env in production). Never throws. */
export function parseWechatPayConfig(env: WechatPayEnv): ConfigRead {
  const given: WechatPayEnv = {}
  for (const name of [...REQUIRED_ENV, ...OPTIONAL_ENV]) {
    const value = env[name]
    if (present(value)) given[name] = value
  }
  const missing = REQUIRED_ENV.filter((name) => given[name] === undefined)
  if (missing.length === REQUIRED_ENV.length) return { status: 'missing' }
  if (missing.length > 0) {
    return { status: 'invalid', problems: missing.map((name) => `${name} is not set`) }
  }
  const parsed = envSchema.safeParse(given)
  if (!parsed.success) {
    return {
      status: 'invalid',
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    }
  }
  const e = parsed.data
  const cashMarketing = e.WXPAY_TRANSFER_SCENE_ID === CASH_MARKETING_SCENE
  return {
    status: 'ok',
    config: {
      mchId: e.WXPAY_MCHID,
      appId: e.WXPAY_APPID,
      certSerialNo: e.WXPAY_CERT_SERIAL_NO.toUpperCase(),
      privateKey: e.WXPAY_PRIVATE_KEY,
      publicKeyId: e.WXPAY_PUBLIC_KEY_ID,
      publicKey: e.WXPAY_PUBLIC_KEY,
      transferSceneId: e.WXPAY_TRANSFER_SCENE_ID,
      baseUrl: e.WXPAY_BASE_URL ?? DEFAULT_BASE_URL,
      activityName: e.WXPAY_ACTIVITY_NAME ?? null,
      rewardNote: e.WXPAY_REWARD_NOTE ?? DEFAULT_REWARD_NOTE,
      userRecvPerception: e.WXPAY_USER_RECV_PERCEPTION ?? (cashMarketing ? '活动奖励' : null),
      sceneReportInfos: e.WXPAY_SCENE_REPORT_INFOS ?? null,
    },
  }
}

let cached: { fingerprint: string; read: ConfigRead } | undefined

/**
 * The configuration from process.env, parsed once per distinct set of values (a warm function
 * instance keeps it; tests that change the variables get a fresh parse).
 */
export function currentWechatPayConfig(env: WechatPayEnv = process.env): ConfigRead {
  const fingerprint = JSON.stringify([...REQUIRED_ENV, ...OPTIONAL_ENV].map((n) => env[n] ?? null))
  if (cached?.fingerprint !== fingerprint) cached = { fingerprint, read: parseWechatPayConfig(env) }
  return cached.read
}
