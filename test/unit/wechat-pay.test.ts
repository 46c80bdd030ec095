// The WeChat Pay API v3 client's pure parts: our request signature verifies with the merchant's
// public key, a reply is believed only when WeChat Pay's key signed this body recently, and the
// configuration is read from environment variables (keys generated here, never stored).
import { createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto'
import {
  DEFAULT_BASE_URL,
  parseWechatPayConfig,
  type WechatPayConfig,
  type WechatPayEnv,
} from '../../server/wechat-pay/config'
import {
  AUTH_SCHEMA,
  authorizationHeader,
  parseAuthorization,
  replyMessage,
  requestMessage,
  signSha256Rsa,
  verifyReply,
} from '../../server/wechat-pay/signature'

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 })
const merchant = rsa()
const platform = rsa()
const pem = (key: KeyObject, type: 'pkcs8' | 'spki') =>
  key.export({ type, format: 'pem' }).toString()

const MCHID = '1900000109'
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'
const PUB_KEY_ID = 'PUB_KEY_ID_0119000001092025010100000000000'

function env(overrides: WechatPayEnv = {}): WechatPayEnv {
  return {
    WXPAY_MCHID: MCHID,
    WXPAY_APPID: 'wxd678efh567hg6787',
    WXPAY_CERT_SERIAL_NO: SERIAL,
    // As pasted into CloudBase's console: one line, line breaks written as \n.
    WXPAY_PRIVATE_KEY: pem(merchant.privateKey, 'pkcs8').replace(/\n/g, '\\n'),
    WXPAY_PUBLIC_KEY_ID: PUB_KEY_ID,
    WXPAY_PUBLIC_KEY: pem(platform.publicKey, 'spki'),
    WXPAY_TRANSFER_SCENE_ID: '1000',
    ...overrides,
  }
}

function config(overrides: WechatPayEnv = {}): WechatPayConfig {
  const read = parseWechatPayConfig(env(overrides))
  if (read.status !== 'ok') throw new Error(`config: ${JSON.stringify(read)}`)
  return read.config
}

describe('request signature', () => {
  test('the Authorization header carries a signature that verifies with the merchant public key', () => {
    const request = {
      method: 'POST',
      pathWithQuery: '/v3/fund-app/mch-transfer/transfer-bills',
      body: '{"out_bill_no":"wd0123"}',
      timestamp: 1_721_440_800,
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    }
    const header = authorizationHeader(config(), request)
    expect(header.startsWith(`${AUTH_SCHEMA} `)).toBe(true)
    const fields = parseAuthorization(header)!
    expect(fields).toMatchObject({
      mchid: MCHID,
      nonce_str: request.nonce,
      timestamp: String(request.timestamp),
      serial_no: SERIAL,
    })
    expect(requestMessage(request)).toBe(
      `POST\n/v3/fund-app/mch-transfer/transfer-bills\n1721440800\n${request.nonce}\n${request.body}\n`,
    )
    const verifies = (message: string) =>
      createVerify('RSA-SHA256')
        .update(message)
        .verify(merchant.publicKey, fields.signature!, 'base64')
    expect(verifies(requestMessage(request))).toBe(true)
    expect(verifies(requestMessage({ ...request, body: '{"out_bill_no":"wd9999"}' }))).toBe(false)
  })

  test('a GET signs an empty body and the path with its query', () => {
    const message = requestMessage({
      method: 'get',
      pathWithQuery: '/v3/x?a=1',
      body: '',
      timestamp: 1,
      nonce: 'N',
    })
    expect(message).toBe('GET\n/v3/x?a=1\n1\nN\n\n')
  })
})

describe('reply verification', () => {
  const nowMs = 1_721_440_800_000
  const body = '{"out_bill_no":"wd0123","state":"SUCCESS"}'
  function signed(overrides: { body?: string; serial?: string; timestamp?: number } = {}) {
    const timestamp = String(overrides.timestamp ?? nowMs / 1000)
    const nonce = 'A1B2C3D4E5F6'
    return {
      headers: {
        'wechatpay-timestamp': timestamp,
        'wechatpay-nonce': nonce,
        'wechatpay-signature': signSha256Rsa(
          replyMessage(timestamp, nonce, body),
          platform.privateKey,
        ),
        'wechatpay-serial': overrides.serial ?? PUB_KEY_ID,
      },
      body: overrides.body ?? body,
    }
  }
  const keys = { publicKeyId: PUB_KEY_ID, publicKey: platform.publicKey }

  test('accepts a reply signed by WeChat Pay over this body', () => {
    expect(verifyReply(signed(), keys, nowMs)).toEqual({ ok: true })
    expect(verifyReply(signed({ timestamp: nowMs / 1000 - 299 }), keys, nowMs)).toEqual({
      ok: true,
    })
  })

  test('rejects a tampered body', () => {
    const tampered = signed({ body: body.replace('SUCCESS', 'FAIL') })
    expect(verifyReply(tampered, keys, nowMs)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' })
  })

  test('rejects a serial that is not our WeChat Pay public key id', () => {
    expect(verifyReply(signed({ serial: 'PUB_KEY_ID_OTHER' }), keys, nowMs)).toEqual({
      ok: false,
      reason: 'UNKNOWN_SERIAL:PUB_KEY_ID_OTHER',
    })
  })

  test('rejects a timestamp more than 5 minutes off, either way', () => {
    for (const skew of [-301, 301]) {
      expect(verifyReply(signed({ timestamp: nowMs / 1000 + skew }), keys, nowMs)).toEqual({
        ok: false,
        reason: 'STALE_REPLY',
      })
    }
  })

  test('rejects a reply signed by another key, and an unsigned one', () => {
    const other = rsa()
    const forged = signed()
    forged.headers['wechatpay-signature'] = signSha256Rsa(
      replyMessage(forged.headers['wechatpay-timestamp'], 'A1B2C3D4E5F6', body),
      other.privateKey,
    )
    expect(verifyReply(forged, keys, nowMs)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' })
    expect(verifyReply({ headers: {}, body }, keys, nowMs)).toEqual({
      ok: false,
      reason: 'UNSIGNED_REPLY',
    })
  })
})

describe('configuration from environment variables', () => {
  test('none set: not configured, so payouts stay queued', () => {
    expect(parseWechatPayConfig({})).toEqual({ status: 'missing' })
    expect(parseWechatPayConfig({ WXPAY_MCHID: '  ' })).toEqual({ status: 'missing' })
  })

  test('some set: the missing ones are named', () => {
    const read = parseWechatPayConfig({ WXPAY_MCHID: MCHID, WXPAY_APPID: 'wx1' })
    expect(read.status).toBe('invalid')
    expect(read.status === 'invalid' && read.problems).toContain('WXPAY_PRIVATE_KEY is not set')
  })

  test('PEM keys with literal \\n, or as a bare base64 body, are read', () => {
    const c = config()
    expect(c.privateKey.asymmetricKeyType).toBe('rsa')
    const bare = pem(platform.publicKey, 'spki')
      .replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '')
      .replace(/\s+/g, '')
    expect(
      config({ WXPAY_PUBLIC_KEY: bare }).publicKey.export({ type: 'spki', format: 'pem' }),
    ).toBe(pem(platform.publicKey, 'spki'))
  })

  test('scene 1000 defaults: the production base URL, 活动奖励, a reward note', () => {
    expect(config()).toMatchObject({
      baseUrl: DEFAULT_BASE_URL,
      transferSceneId: '1000',
      userRecvPerception: '活动奖励',
      activityName: null,
      rewardNote: '问卷调查抽奖现金红包',
      sceneReportInfos: null,
    })
  })

  test('refuses keys that are not keys, an unknown perception, and plain http off this machine', () => {
    const problems = (overrides: WechatPayEnv) => {
      const read = parseWechatPayConfig(env(overrides))
      return read.status === 'invalid' ? read.problems.join('\n') : read.status
    }
    expect(problems({ WXPAY_PRIVATE_KEY: 'not a key' })).toMatch(/WXPAY_PRIVATE_KEY: not an RSA/)
    expect(problems({ WXPAY_PUBLIC_KEY: 'nope' })).toMatch(/WXPAY_PUBLIC_KEY: not an RSA/)
    expect(problems({ WXPAY_USER_RECV_PERCEPTION: '佣金报酬' })).toMatch(/scene 1000 accepts/)
    expect(problems({ WXPAY_BASE_URL: 'http://pay.example.com' })).toMatch(/must be https/)
    expect(problems({ WXPAY_TRANSFER_SCENE_ID: '1005' })).toMatch(/WXPAY_SCENE_REPORT_INFOS/)
    expect(config({ WXPAY_BASE_URL: 'http://127.0.0.1:4567/' }).baseUrl).toBe(
      'http://127.0.0.1:4567',
    )
  })

  test('another scene brings its own report infos as JSON', () => {
    const infos = [
      { info_type: '岗位类型', info_content: '调查员' },
      { info_type: '报酬说明', info_content: '七月劳务' },
    ]
    const c = config({
      WXPAY_TRANSFER_SCENE_ID: '1005',
      WXPAY_USER_RECV_PERCEPTION: '劳务报酬',
      WXPAY_SCENE_REPORT_INFOS: JSON.stringify(infos),
    })
    expect(c.sceneReportInfos).toEqual(infos)
  })
})
