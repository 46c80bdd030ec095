// 商家转账 bills: what 发起转账 sends (the scene 1000 report infos), and how each state of a bill
// maps to what the payout function does next. Keys are generated here, never stored.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import {
  parseWechatPayConfig,
  type WechatPayConfig,
  type WechatPayEnv,
} from '../../server/wechat-pay/config'
import {
  createTransferBill,
  queryTransferBill,
  toTransferResult,
  transferBillBody,
} from '../../server/wechat-pay/transfer'

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = (key: KeyObject, type: 'pkcs8' | 'spki') =>
  key.export({ type, format: 'pem' }).toString()
const MCHID = '1900000109'

function config(overrides: WechatPayEnv = {}): WechatPayConfig {
  const read = parseWechatPayConfig({
    WXPAY_MCHID: MCHID,
    WXPAY_APPID: 'wxd678efh567hg6787',
    WXPAY_CERT_SERIAL_NO: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
    WXPAY_PRIVATE_KEY: pem(rsa().privateKey, 'pkcs8'),
    WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0119000001092025010100000000000',
    WXPAY_PUBLIC_KEY: pem(rsa().publicKey, 'spki'),
    WXPAY_TRANSFER_SCENE_ID: '1000',
    ...overrides,
  })
  if (read.status !== 'ok') throw new Error(`config: ${JSON.stringify(read)}`)
  return read.config
}

describe('the transfer bill', () => {
  const request = {
    billNo: 'wd0123456789abcdef0123456789abcd',
    openid: 'o-MYE42l80oelYMDE34nYD456Xoy',
    amountFen: 20,
    remark: '网民网络安全感满意度调查抽奖红包',
    activityName: '2024年网民网络安全感满意度调查活动',
  }

  test('发起转账 carries the scene 1000 report infos: 活动名称 (the campaign) and 奖励说明', () => {
    expect(transferBillBody(config(), request)).toEqual({
      appid: 'wxd678efh567hg6787',
      out_bill_no: request.billNo,
      transfer_scene_id: '1000',
      openid: request.openid,
      transfer_amount: 20,
      transfer_remark: request.remark,
      user_recv_perception: '活动奖励',
      transfer_scene_report_infos: [
        { info_type: '活动名称', info_content: request.activityName },
        { info_type: '奖励说明', info_content: '问卷调查抽奖现金红包' },
      ],
    })
    const named = config({ WXPAY_ACTIVITY_NAME: '网安联调查', WXPAY_REWARD_NOTE: '抽奖红包' })
    expect(transferBillBody(named, request).transfer_scene_report_infos).toEqual([
      { info_type: '活动名称', info_content: '网安联调查' },
      { info_type: '奖励说明', info_content: '抽奖红包' },
    ])
  })

  test('each state maps to what the payout function does next', () => {
    const c = config()
    const bill = (state: string, extra: Record<string, string> = {}) =>
      toTransferResult(
        {
          out_bill_no: request.billNo,
          transfer_bill_no: '1330000071100999991182020050700019480001',
          state,
          ...extra,
        },
        c,
      )
    expect(bill('SUCCESS')).toEqual({
      status: 'paid',
      transferId: '1330000071100999991182020050700019480001',
    })
    expect(
      bill('WAIT_USER_CONFIRM', {
        package_info: 'ABBQO+oYAAABAAAAAAA=',
        create_time: '2024-07-20T10:00:00+08:00',
      }),
    ).toEqual({
      status: 'awaiting_user',
      transferId: '1330000071100999991182020050700019480001',
      state: 'WAIT_USER_CONFIRM',
      packageInfo: 'ABBQO+oYAAABAAAAAAA=',
      mchId: MCHID,
      appId: 'wxd678efh567hg6787',
      billCreatedAt: '2024-07-20T10:00:00+08:00',
    })
    expect(bill('TRANSFERING', { package_info: 'P' })).toMatchObject({ status: 'awaiting_user' })
    for (const state of ['ACCEPTED', 'PROCESSING', 'TRANSFERING', 'CANCELING', 'SOMETHING_NEW'])
      expect(bill(state)).toMatchObject({ status: 'in_progress', state })
    expect(bill('FAIL', { fail_reason: 'OVERDUE_CLOSE' })).toMatchObject({
      status: 'closed',
      state: 'FAIL',
      failReason: 'OVERDUE_CLOSE',
    })
    expect(bill('CANCELLED')).toMatchObject({ status: 'closed', state: 'CANCELLED' })
  })
})

describe('without WeChat Pay keys', () => {
  const saved = { ...process.env }
  beforeEach(() => {
    for (const key of Object.keys(process.env))
      if (key.startsWith('WXPAY_')) delete process.env[key]
  })
  afterEach(() => {
    process.env = saved
  })

  test('a transfer and a look-up say not_configured, so the payout stays queued', async () => {
    const request = { billNo: 'wd1', openid: 'o-1', amountFen: 20, remark: 'r', activityName: 'a' }
    const notConfigured = { status: 'not_configured', reason: 'PAYOUT_NOT_CONFIGURED' }
    expect(await createTransferBill(request)).toEqual(notConfigured)
    expect(await queryTransferBill({ billNo: 'wd1' })).toEqual(notConfigured)
  })
})
