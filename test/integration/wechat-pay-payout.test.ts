// The payout function through the real WeChat Pay adapter (server/wechat-pay/) against a fake
// WeChat Pay server on 127.0.0.1: requests are signed and replies verified with key pairs made
// here; a bill number is never given up on a doubt; a transfer waiting for the user is looked up,
// not made again, until it is paid; an unconfirmed one closes, expires, and its winner claims it
// again on a new deterministic bill number; nothing is ever paid twice.
import { generateKeyPairSync } from 'node:crypto'
import { PAYOUT_RULES, pendingPayoutsSchema, payoutClaimSchema } from 'wal-core'
import { getDb, readDoc } from '../../server/db'
import { registerLocalOpenApi } from '../../server/openapi'
import { billNoOf, type PayoutDoc } from '../../server/records/payouts'
import { FakeWechatPay } from './fake-wechat-pay'
import {
  CAMPAIGN,
  certainTable,
  closeRewardWorld,
  grantChances,
  openRewardWorld,
  rid,
  type LooseReply,
  type RewardWorld,
} from './reward-fixture'

const MCHID = '1900000109'
const APPID = 'wxd678efh567hg6787'
const SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 })

let w: RewardWorld
let clock = { now: 0 }
const fake = new FakeWechatPay(
  { mchId: MCHID, certSerialNo: SERIAL, publicKey: merchant.publicKey },
  () => clock.now,
)
const savedEnv: Record<string, string | undefined> = {}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!(k in savedEnv)) savedEnv[k] = process.env[k]
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
}

beforeAll(() => fake.start())
afterAll(() => fake.close())

beforeEach(async () => {
  // Every nine-grid draw wins a ¥0.2 red envelope.
  w = await openRewardWorld({
    table: certainTable('cash', { points: 2, cashFen: 20 }),
    rewards: { cash: { dailyBudgetFen: 100_000, perUserDailyCapFen: 1_000, budgetShards: 4 } },
  })
  clock = w.clock
  // The production adapter, not the local cloud's fake open APIs.
  registerLocalOpenApi(undefined)
  fake.reset()
  setEnv({
    WXPAY_MCHID: MCHID,
    WXPAY_APPID: APPID,
    WXPAY_CERT_SERIAL_NO: SERIAL,
    // One line, as the CloudBase console keeps it.
    WXPAY_PRIVATE_KEY: merchant.privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .replace(/\n/g, '\\n'),
    WXPAY_PUBLIC_KEY_ID: fake.publicKeyId,
    WXPAY_PUBLIC_KEY: fake.publicKeyPem,
    WXPAY_TRANSFER_SCENE_ID: '1000',
    WXPAY_BASE_URL: fake.url,
  })
})

afterEach(() => {
  closeRewardWorld(w)
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
    delete savedEnv[k]
  }
  // Every request we sent carried a signature WeChat Pay would accept.
  expect(fake.rejected).toEqual([])
})

const tick = () =>
  w.host.invoke(
    'payout',
    { Type: 'Timer', TriggerName: 'everyMinute', Time: new Date(w.clock.now).toISOString() },
    { openid: '' },
  ) as Promise<LooseReply>

async function cashDraw(openid: string): Promise<string> {
  await grantChances(openid, 1)
  const reply = await w.call('draw', openid, {
    action: 'draw',
    kind: 'nine_grid',
    requestId: rid('d'),
  })
  expect(reply.data.prize).toMatchObject({ form: 'cash', cashFen: 20 })
  const payouts = (await getDb().collection('payouts').where({ openid }).get()).data as PayoutDoc[]
  return payouts[0]!._id
}

const payout = (key: string) => readDoc<PayoutDoc>(getDb().collection('payouts').doc(key))

async function mine(openid: string) {
  const reply = await w.call('payout', openid, { action: 'mine' })
  return pendingPayoutsSchema.parse(reply.data).items
}

async function claimAction(openid: string, action: 'check' | 'reclaim', payoutKey: string) {
  const reply = await w.call('payout', openid, { action, payoutKey })
  expect(reply).toMatchObject({ ok: true })
  return payoutClaimSchema.parse(reply.data)
}

test('a 500 is followed by a look-up; the retry uses the same bill number and pays once', async () => {
  const key = await cashDraw('o-1')
  fake.faults.POST.push('500')

  expect((await tick()).data).toMatchObject({ due: 1, failed: 1, paid: 0 })
  expect(fake.calls).toEqual([
    { method: 'POST', path: '/v3/fund-app/mch-transfer/transfer-bills' },
    { method: 'GET', path: `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${key}` },
  ])
  expect(await payout(key)).toMatchObject({
    status: 'failed',
    attempts: 1,
    lastError: 'WXPAY_HTTP_500_SYSTEM_ERROR',
  })

  w.clock.now += PAYOUT_RULES.backoffBaseMs
  expect((await tick()).data).toMatchObject({ due: 1, paid: 1 })
  const [bill] = fake.paidBills()
  expect(fake.bills.size).toBe(1)
  expect(bill).toMatchObject({
    out_bill_no: key,
    openid: 'o-1',
    transfer_amount: 20,
    appid: APPID,
    request: expect.objectContaining({
      transfer_scene_id: '1000',
      user_recv_perception: '活动奖励',
      transfer_scene_report_infos: [
        { info_type: '活动名称', info_content: CAMPAIGN.name },
        { info_type: '奖励说明', info_content: '问卷调查抽奖现金红包' },
      ],
    }),
  })
  expect(await payout(key)).toMatchObject({
    status: 'paid',
    transferId: bill!.transfer_bill_no,
    billState: 'SUCCESS',
    nextAttemptAt: null,
  })
})

test('a connection cut after the bill was made: the look-up finds it paid, no second bill', async () => {
  const key = await cashDraw('o-1')
  fake.faults.POST.push('drop_after_effect')

  expect((await tick()).data).toMatchObject({ due: 1, paid: 1 })
  expect(fake.count('POST')).toBe(1)
  expect(fake.count('GET')).toBe(1)
  expect(fake.bills.size).toBe(1)
  expect(await payout(key)).toMatchObject({ status: 'paid', attempts: 1 })
})

test('a connection cut before anything happened: the look-up finds no bill, the retry makes it once', async () => {
  const key = await cashDraw('o-1')
  fake.faults.POST.push('drop')

  expect((await tick()).data).toMatchObject({ failed: 1 })
  expect(fake.bills.size).toBe(0)
  expect((await payout(key))!.lastError).toMatch(/^WXPAY_NETWORK/)

  w.clock.now += PAYOUT_RULES.backoffBaseMs
  expect((await tick()).data).toMatchObject({ paid: 1 })
  expect([...fake.bills.keys()]).toEqual([key])
  expect(fake.paidBills()).toHaveLength(1)
})

test('a reply signed by someone else is not believed: the bill is looked up instead', async () => {
  const key = await cashDraw('o-1')
  fake.faults.POST.push('forged_reply')
  expect((await tick()).data).toMatchObject({ paid: 1 })
  expect(fake.count('GET')).toBe(1)
  expect(await payout(key)).toMatchObject({ status: 'paid' })
})

test('WAIT_USER_CONFIRM: the payout waits for its winner with the package; after they confirm, a look-up (not a new bill) pays it', async () => {
  fake.newBillState = 'WAIT_USER_CONFIRM'
  const key = await cashDraw('o-1')

  expect((await tick()).data).toMatchObject({ due: 1, awaiting: 1 })
  const waiting = (await payout(key))!
  expect(waiting).toMatchObject({
    status: 'awaiting_user',
    billState: 'WAIT_USER_CONFIRM',
    confirm: { mchId: MCHID, appId: APPID, packageInfo: `ABBQO+oYAAAB${key}==` },
    confirmExpiresAt: new Date(w.clock.now + 24 * 3_600_000),
    nextAttemptAt: new Date(w.clock.now + PAYOUT_RULES.awaitingCheckBaseMs),
  })
  expect(await mine('o-1')).toEqual([
    {
      payoutKey: key,
      amountFen: 20,
      state: 'awaiting_user',
      confirm: { mchId: MCHID, appId: APPID, package: `ABBQO+oYAAAB${key}==` },
      expiresAt: new Date(w.clock.now + 24 * 3_600_000).toISOString(),
      wonAt: new Date(w.clock.now).toISOString(),
    },
  ])
  expect(await mine('o-2')).toEqual([]) // only one's own

  // Not looked up again before its time; the user has not confirmed yet when it is.
  expect((await tick()).data).toMatchObject({ due: 0 })
  w.clock.now += PAYOUT_RULES.awaitingCheckBaseMs
  expect((await tick()).data).toMatchObject({ due: 1, awaiting: 1 })
  expect((await payout(key))!.nextAttemptAt).toEqual(
    new Date(w.clock.now + 2 * PAYOUT_RULES.awaitingCheckBaseMs),
  )

  fake.confirm(key)
  w.clock.now += 2 * PAYOUT_RULES.awaitingCheckBaseMs
  expect((await tick()).data).toMatchObject({ paid: 1 })
  expect(fake.count('POST')).toBe(1)
  expect(fake.count('GET')).toBe(2)
  expect(await payout(key)).toMatchObject({ status: 'paid', confirm: null, nextAttemptAt: null })
  expect(await mine('o-1')).toEqual([])
})

test('the winner’s check after confirming asks WeChat Pay at once, at most every few seconds', async () => {
  fake.newBillState = 'WAIT_USER_CONFIRM'
  const key = await cashDraw('o-1')
  await tick()

  // Not confirmed yet: still waiting; asking again at once does not reach WeChat Pay.
  expect(await claimAction('o-1', 'check', key)).toMatchObject({
    status: 'awaiting_user',
    item: { payoutKey: key, state: 'awaiting_user' },
  })
  expect(fake.count('GET')).toBe(1)
  fake.confirm(key)
  expect(await claimAction('o-1', 'check', key)).toMatchObject({ status: 'awaiting_user' })
  expect(fake.count('GET')).toBe(1)

  w.clock.now += PAYOUT_RULES.callerCheckMinMs
  expect(await claimAction('o-1', 'check', key)).toEqual({
    payoutKey: key,
    status: 'paid',
    item: null,
  })
  expect(fake.count('GET')).toBe(2)
  // Someone else's payout is not there for them.
  expect(await w.call('payout', 'o-2', { action: 'check', payoutKey: key })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  })
})

test('never confirmed: the bill closes, the payout expires, and its winner claims it again on a new bill number', async () => {
  fake.newBillState = 'WAIT_USER_CONFIRM'
  const key = await cashDraw('o-1')
  await tick()

  // 24 hours pass: WeChat Pay closes the bill and returns the money.
  fake.expire(key)
  w.clock.now += 24 * 3_600_000
  expect(await mine('o-1')).toMatchObject([{ state: 'closing', confirm: null }])
  expect((await tick()).data).toMatchObject({ due: 1, expired: 1 })
  expect(await payout(key)).toMatchObject({
    status: 'expired',
    billState: 'FAIL',
    lastError: 'FAIL:OVERDUE_CLOSE',
    nextAttemptAt: null,
  })
  expect(await mine('o-1')).toMatchObject([{ payoutKey: key, state: 'expired', confirm: null }])

  // The prize is still owed: the timer leaves it to its winner, whatever time passes.
  w.clock.now += 7 * 24 * 3_600_000
  expect((await tick()).data).toMatchObject({ due: 0 })

  const second = billNoOf(key, 1)
  expect(second).toMatch(/^wr[0-9a-f]{30}$/)
  const reclaimed = await claimAction('o-1', 'reclaim', key)
  expect(reclaimed).toMatchObject({
    status: 'awaiting_user',
    item: { state: 'awaiting_user', confirm: { package: `ABBQO+oYAAAB${second}==` } },
  })
  expect([...fake.bills.keys()]).toEqual([key, second])
  expect(fake.bills.get(key)!.state).toBe('FAIL')
  expect(await payout(key)).toMatchObject({ generation: 1, billNo: second, attempts: 1 })

  // A repeat of the claim is no second bill.
  expect(await claimAction('o-1', 'reclaim', key)).toMatchObject({ status: 'awaiting_user' })
  expect(fake.bills.size).toBe(2)

  fake.confirm(second)
  w.clock.now += PAYOUT_RULES.callerCheckMinMs
  expect(await claimAction('o-1', 'check', key)).toMatchObject({ status: 'paid' })
  expect(fake.paidBills().map((b) => [b.out_bill_no, b.transfer_amount])).toEqual([[second, 20]])
  expect(await claimAction('o-1', 'reclaim', key)).toMatchObject({ status: 'paid', item: null })
  expect(fake.bills.size).toBe(2)
})

test('PROCESSING is not final: the same bill is looked up later until it succeeds', async () => {
  fake.newBillState = 'PROCESSING'
  const key = await cashDraw('o-1')
  expect((await tick()).data).toMatchObject({ failed: 1 })
  expect(await payout(key)).toMatchObject({
    status: 'failed',
    billState: 'PROCESSING',
    lastError: 'PROCESSING',
  })

  fake.setState(key, 'SUCCESS')
  w.clock.now += PAYOUT_RULES.backoffBaseMs
  expect((await tick()).data).toMatchObject({ paid: 1 })
  expect(fake.count('POST')).toBe(1)
  expect(fake.count('GET')).toBe(1)
})

test('FAIL for another reason is final for the bill: given up for an operator, not retried', async () => {
  fake.newBillState = 'FAIL'
  fake.newBillFailReason = 'ACCOUNT_FROZEN'
  const key = await cashDraw('o-1')
  const logged = jest.spyOn(console, 'error').mockImplementation(() => {})
  expect((await tick()).data).toMatchObject({ gaveUp: 1 })
  expect(logged).toHaveBeenCalledWith(expect.stringContaining('FAIL:ACCOUNT_FROZEN'))
  logged.mockRestore()
  expect(await payout(key)).toMatchObject({
    status: 'failed',
    lastError: 'FAIL:ACCOUNT_FROZEN',
    nextAttemptAt: null,
  })
  w.clock.now += 24 * 3_600_000
  expect((await tick()).data).toMatchObject({ due: 0 })
  expect(await mine('o-1')).toEqual([])
  expect(fake.count('POST')).toBe(1)
})

test('runs at once make each bill once and pay it once', async () => {
  fake.newBillState = 'WAIT_USER_CONFIRM'
  const keys = [await cashDraw('o-1'), await cashDraw('o-2'), await cashDraw('o-3')]
  const first = await Promise.all([tick(), tick(), tick()])
  expect(first.reduce((n, r) => n + r.data.awaiting, 0)).toBe(3)
  expect(fake.count('POST')).toBe(3)

  for (const key of keys) fake.confirm(key)
  w.clock.now += PAYOUT_RULES.awaitingCheckBaseMs
  const checks = keys.map((key, i) => claimAction(`o-${i + 1}`, 'check', key))
  // Two timer runs and the three winners' checks race for the same three bills.
  await Promise.all([tick(), tick(), ...checks])
  for (const key of keys) expect(await payout(key)).toMatchObject({ status: 'paid' })
  expect(fake.count('POST')).toBe(3)
  expect(fake.count('GET')).toBe(3)
  expect(
    fake
      .paidBills()
      .map((b) => b.out_bill_no)
      .sort(),
  ).toEqual([...keys].sort())
})

test('without the configuration, payouts stay queued and nothing is sent', async () => {
  setEnv({ WXPAY_MCHID: undefined, WXPAY_APPID: undefined, WXPAY_CERT_SERIAL_NO: undefined })
  setEnv({ WXPAY_PRIVATE_KEY: undefined, WXPAY_PUBLIC_KEY_ID: undefined })
  setEnv({ WXPAY_PUBLIC_KEY: undefined, WXPAY_TRANSFER_SCENE_ID: undefined })
  const key = await cashDraw('o-1')
  expect((await tick()).data).toMatchObject({ due: 1, skipped: 1 })
  expect(await payout(key)).toMatchObject({
    status: 'pending',
    attempts: 0,
    lastError: 'PAYOUT_NOT_CONFIGURED',
  })
  expect(fake.calls).toEqual([])
})

test('a configuration with a mistake keeps payouts queued, says what is wrong, and logs it once', async () => {
  setEnv({ WXPAY_PUBLIC_KEY: 'not a key' })
  const logged = jest.spyOn(console, 'error').mockImplementation(() => {})
  const keys = [await cashDraw('o-1'), await cashDraw('o-2')]
  expect((await tick()).data).toMatchObject({ due: 2, skipped: 2 })
  for (const key of keys) {
    expect(await payout(key)).toMatchObject({
      status: 'pending',
      attempts: 0,
      lastError: expect.stringMatching(/^PAYOUT_NOT_CONFIGURED: WXPAY_PUBLIC_KEY: not an RSA/),
    })
  }
  expect(logged).toHaveBeenCalledTimes(1)
  logged.mockRestore()
  expect(fake.calls).toEqual([])
})
