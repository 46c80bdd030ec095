// A local stand-in for WeChat Pay's merchant-transfer API (商家转账) on 127.0.0.1: it checks our
// Authorization signature like WeChat Pay does, keeps bills by out_bill_no (a repeated 发起转账 is
// the same bill), signs its replies with its own key pair, and can be told how new bills behave
// and to fail the next calls (a 500, a dropped connection before or after the bill is made, a reply
// signed by someone else). Tests confirm or close bills the way a user and WeChat Pay would.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  newNonce,
  parseAuthorization,
  replyMessage,
  requestMessage,
  signSha256Rsa,
  verifySha256Rsa,
} from '../../server/wechat-pay/signature'

export type BillState =
  'ACCEPTED' | 'PROCESSING' | 'WAIT_USER_CONFIRM' | 'TRANSFERING' | 'SUCCESS' | 'FAIL' | 'CANCELLED'

export interface FakeBill {
  out_bill_no: string
  transfer_bill_no: string
  appid: string
  openid: string
  transfer_amount: number
  transfer_remark: string
  state: BillState
  fail_reason?: string
  create_time: string
  package_info?: string
  /** The body of the 发起转账 that made it, to compare repeats with. */
  request: Record<string, unknown>
}

/** What goes wrong with the next call of a method, in order. */
export type Fault =
  /** 500 SYSTEM_ERROR, nothing done. */
  | '500'
  /** The connection is cut before anything is done. */
  | 'drop'
  /** The call takes effect (the bill is made), then the connection is cut before the reply. */
  | 'drop_after_effect'
  /** The call takes effect; the reply is signed by a key that is not WeChat Pay's. */
  | 'forged_reply'

const BILLS = '/v3/fund-app/mch-transfer/transfer-bills'

export class FakeWechatPay {
  readonly publicKeyId = 'PUB_KEY_ID_0119000001092024072000000000000'
  private readonly platform = generateKeyPairSync('rsa', { modulusLength: 2048 })
  private readonly impostor = generateKeyPairSync('rsa', { modulusLength: 2048 })
  readonly bills = new Map<string, FakeBill>()
  /** Every request that reached a route, in order. */
  readonly calls: Array<{ method: string; path: string }> = []
  /** Requests refused because their Authorization did not verify (must stay empty). */
  readonly rejected: string[] = []
  /** State of a new bill. */
  newBillState: BillState = 'SUCCESS'
  /** fail_reason of a new bill made in state FAIL. */
  newBillFailReason = 'ACCOUNT_FROZEN'
  readonly faults: Record<'GET' | 'POST', Fault[]> = { GET: [], POST: [] }
  private server: http.Server | undefined
  private seq = 0

  constructor(
    private readonly merchant: { mchId: string; certSerialNo: string; publicKey: KeyObject },
    /** The time bills are made at (the tests' pinned server clock). */
    private readonly clock: () => number = Date.now,
  ) {}

  /** WeChat Pay's public key, as the payout function's WXPAY_PUBLIC_KEY. */
  get publicKeyPem(): string {
    return this.platform.publicKey.export({ type: 'spki', format: 'pem' }).toString()
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null
    if (!address) throw new Error('the fake WeChat Pay server is not started')
    return `http://127.0.0.1:${address.port}`
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
  }

  async close(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  reset(): void {
    this.bills.clear()
    this.calls.length = 0
    this.rejected.length = 0
    this.faults.GET.length = 0
    this.faults.POST.length = 0
    this.newBillState = 'SUCCESS'
    this.newBillFailReason = 'ACCOUNT_FROZEN'
  }

  /** How many 发起转账 / look-ups reached the server. */
  count(method: 'GET' | 'POST'): number {
    return this.calls.filter((c) => c.method === method).length
  }

  /** The user confirms receipt in WeChat. */
  confirm(billNo: string): void {
    this.setState(billNo, 'SUCCESS')
  }

  /** 24 hours pass unconfirmed: WeChat Pay closes the bill and returns the money. */
  expire(billNo: string): void {
    this.setState(billNo, 'FAIL', 'OVERDUE_CLOSE')
  }

  setState(billNo: string, state: BillState, failReason?: string): void {
    const bill = this.bills.get(billNo)
    if (!bill) throw new Error(`no bill ${billNo}`)
    bill.state = state
    if (failReason) bill.fail_reason = failReason
    if (state !== 'WAIT_USER_CONFIRM' && state !== 'TRANSFERING') delete bill.package_info
  }

  /** Money that reached users: the bills in SUCCESS. */
  paidBills(): FakeBill[] {
    return [...this.bills.values()].filter((b) => b.state === 'SUCCESS')
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const method = req.method ?? 'GET'
      const path = req.url ?? '/'
      if (!this.authorized(req, method, path, body)) {
        this.rejected.push(`${method} ${path}`)
        return this.reply(res, 401, { code: 'SIGN_ERROR', message: '签名错误' })
      }
      this.calls.push({ method, path })
      const fault = method === 'GET' || method === 'POST' ? this.faults[method].shift() : undefined
      if (fault === 'drop') return void req.socket.destroy()
      if (fault === '500')
        return this.reply(res, 500, { code: 'SYSTEM_ERROR', message: '系统异常' })
      const [status, data] = this.route(method, path, body)
      if (fault === 'drop_after_effect') return void req.socket.destroy()
      this.reply(res, status, data, fault === 'forged_reply')
    })
  }

  /** What WeChat Pay checks first: our mchid, serial and a fresh signature over this request. */
  private authorized(
    req: http.IncomingMessage,
    method: string,
    path: string,
    body: string,
  ): boolean {
    const auth = parseAuthorization(req.headers.authorization ?? '')
    if (
      !auth ||
      auth.mchid !== this.merchant.mchId ||
      auth.serial_no !== this.merchant.certSerialNo
    )
      return false
    const timestamp = Number(auth.timestamp)
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false
    const message = requestMessage({
      method,
      pathWithQuery: path,
      body,
      timestamp,
      nonce: auth.nonce_str ?? '',
    })
    return verifySha256Rsa(message, auth.signature ?? '', this.merchant.publicKey)
  }

  private route(method: string, path: string, body: string): [number, unknown] {
    if (method === 'POST' && path === BILLS) return this.create(JSON.parse(body))
    const match =
      /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([A-Za-z0-9]+)$/.exec(path)
    if (method === 'GET' && match) {
      const bill = this.bills.get(match[1]!)
      return bill ? [200, this.view(bill)] : [404, { code: 'NOT_FOUND', message: '记录不存在' }]
    }
    return [404, { code: 'NOT_FOUND', message: 'no such route' }]
  }

  private create(request: Record<string, unknown>): [number, unknown] {
    const billNo = String(request.out_bill_no ?? '')
    const infos = request.transfer_scene_report_infos as Array<{ info_type: string }> | undefined
    if (
      !/^[A-Za-z0-9]{1,32}$/.test(billNo) ||
      typeof request.openid !== 'string' ||
      typeof request.transfer_amount !== 'number' ||
      request.transfer_scene_id !== '1000' ||
      infos?.map((i) => i.info_type).join() !== '活动名称,奖励说明'
    ) {
      return [400, { code: 'PARAM_ERROR', message: '参数错误' }]
    }
    const existing = this.bills.get(billNo)
    if (existing) {
      if (JSON.stringify(existing.request) !== JSON.stringify(request))
        return [
          400,
          { code: 'INVALID_REQUEST', message: '单号已存在但信息不一致，请查单后比较确认' },
        ]
      return [200, this.createReply(existing)]
    }
    this.seq += 1
    const bill: FakeBill = {
      out_bill_no: billNo,
      transfer_bill_no: `13300073${String(this.seq).padStart(26, '0')}`,
      appid: String(request.appid),
      openid: request.openid,
      transfer_amount: request.transfer_amount,
      transfer_remark: String(request.transfer_remark),
      state: this.newBillState,
      create_time: new Date(this.clock()).toISOString(),
      request,
    }
    if (bill.state === 'FAIL') bill.fail_reason = this.newBillFailReason
    if (bill.state === 'WAIT_USER_CONFIRM') bill.package_info = `ABBQO+oYAAAB${billNo}==`
    this.bills.set(billNo, bill)
    return [200, this.createReply(bill)]
  }

  /** 发起转账's reply: the bill's number, state, and the package while it waits for the user. */
  private createReply(bill: FakeBill) {
    return {
      out_bill_no: bill.out_bill_no,
      transfer_bill_no: bill.transfer_bill_no,
      create_time: bill.create_time,
      state: bill.state,
      ...(bill.fail_reason ? { fail_reason: bill.fail_reason } : {}),
      ...(bill.package_info ? { package_info: bill.package_info } : {}),
    }
  }

  /** 商户单号查询转账单's reply. */
  private view(bill: FakeBill) {
    const { request: _request, ...shown } = bill
    return { mch_id: this.merchant.mchId, ...shown, update_time: new Date().toISOString() }
  }

  private reply(res: http.ServerResponse, status: number, data: unknown, forged = false): void {
    const body = JSON.stringify(data)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nonce = newNonce()
    const key = forged ? this.impostor.privateKey : this.platform.privateKey
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Signature': signSha256Rsa(replyMessage(timestamp, nonce, body), key),
      'Wechatpay-Serial': this.publicKeyId,
    })
    res.end(body)
  }
}
