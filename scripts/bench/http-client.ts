// The load generator's HTTP/1.1 client: keep-alive connections over `net`, one request in flight
// per connection, the request written as one string and the reply framed by Content-Length.
//
// Why not node:http: the benchmarks share a 2-core machine with the servers they measure, and
// node's client costs 100–160 µs of CPU per request in a closed loop and 360–470 µs at 1,000
// requests/s offered (docs/benchmarks-history.md). That CPU is taken from the servers. This client does
// only what a load generator needs: it never parses more of a reply than the status line, the
// Content-Length header and the body.
import net from 'node:net'

export interface HttpReply {
  status: number
  body: string
}

/** What one request needs: the request line's path, the body, extra headers. */
export interface HttpRequest {
  /** POST unless told (a GET sends no body). */
  method?: 'GET' | 'POST'
  path: string
  body: string
  headers?: Record<string, string>
}

interface Pending {
  resolve: (reply: HttpReply) => void
  reject: (err: Error) => void
}

const HEADER_END = Buffer.from('\r\n\r\n')

function requestText(host: string, req: HttpRequest): string {
  let head =
    req.method === 'GET'
      ? `GET ${req.path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n`
      : `POST ${req.path} HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(req.body)}\r\n`
  for (const [k, v] of Object.entries(req.headers ?? {})) head += `${k}: ${v}\r\n`
  return req.method === 'GET' ? `${head}\r\n` : `${head}\r\n${req.body}`
}

function framingError(message: string): Error {
  return Object.assign(new Error(message), { code: 'BAD_RESPONSE' })
}

/** One keep-alive connection, one request at a time. */
class Connection {
  private readonly socket: net.Socket
  private pending: Pending | undefined
  private buffered: Buffer = Buffer.alloc(0)
  /** Status and body length of the reply being read, once its head has arrived. */
  private head: { status: number; length: number; bodyAt: number; close: boolean } | undefined
  private ended = false

  constructor(
    readonly port: number,
    readonly host: string,
    private readonly onEnd: (c: Connection) => void,
  ) {
    this.socket = net.connect({ port, host, noDelay: true })
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk))
    this.socket.on('error', (err) => this.end(err))
    this.socket.on('close', () => this.end(framingError('connection closed')))
  }

  get usable(): boolean {
    return !this.ended
  }

  send(req: HttpRequest): Promise<HttpReply> {
    if (this.ended) return Promise.reject(framingError('connection closed'))
    if (this.pending) return Promise.reject(new Error('a request is already in flight'))
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.socket.write(requestText(this.host, req))
    })
  }

  close(): void {
    this.ended = true
    this.socket.destroy()
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
    if (!this.head) {
      const end = this.buffered.indexOf(HEADER_END)
      if (end < 0) return
      const text = this.buffered.toString('latin1', 0, end)
      const status = Number(text.slice(9, 12))
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)
      if (!text.startsWith('HTTP/1.1 ') || !Number.isInteger(status) || !length) {
        this.end(framingError(`unsupported reply framing: ${text.split('\r\n')[0]}`))
        return
      }
      this.head = {
        status,
        length: Number(length[1]),
        bodyAt: end + HEADER_END.length,
        close: /\r\nconnection:\s*close/i.test(text),
      }
    }
    const { status, length, bodyAt, close } = this.head
    if (this.buffered.length < bodyAt + length) return
    if (this.buffered.length > bodyAt + length) {
      this.end(framingError('bytes after the reply (no request was pipelined)'))
      return
    }
    const body = this.buffered.toString('utf8', bodyAt, bodyAt + length)
    this.buffered = Buffer.alloc(0)
    this.head = undefined
    const pending = this.pending
    this.pending = undefined
    if (close) this.close()
    pending?.resolve({ status, body })
    if (close) this.onEnd(this)
  }

  private end(err: Error): void {
    if (this.ended && !this.pending) return
    this.ended = true
    this.socket.destroy()
    const pending = this.pending
    this.pending = undefined
    pending?.reject(err)
    this.onEnd(this)
  }
}

/**
 * Connections to one server: a request takes an idle connection or opens one (up to
 * `maxConnections`; beyond, it waits for one to come free, in order). Which idle connection:
 * the one freed last (`last`, the default: as few connections as the load needs), or any of
 * them at random (`random`: requests spread over the open connections as many independent
 * clients' would, and so over the server instances the connections were dealt to — while a busy
 * connection is not idle, so a slower instance gets less).
 */
export class HttpPool {
  private readonly idle: Connection[] = []
  private readonly waiting: Array<(c: Connection) => void> = []
  private open = 0

  constructor(
    private readonly port: number,
    private readonly maxConnections: number,
    private readonly options: { host?: string; pick?: 'last' | 'random' } = {},
  ) {}

  private get host(): string {
    return this.options.host ?? '127.0.0.1'
  }

  async post(req: HttpRequest): Promise<HttpReply> {
    const conn = await this.take()
    try {
      return await conn.send(req)
    } finally {
      this.give(conn)
    }
  }

  /**
   * Open `n` connections one after another, sending `req` on each and waiting for its reply
   * before opening the next; they then wait idle in the pool. A timed run started after this
   * measures the server, not TCP handshakes and the server's accept path; and a cluster (whose
   * primary deals connections to its instances in turn, to whichever has taken the last one)
   * deals them evenly, which it does not when they all arrive at once (40 / 24 of 64 seen).
   */
  async warm(n: number, req: HttpRequest): Promise<void> {
    for (let i = 0; i < n && this.open < this.maxConnections; i++) {
      this.open++
      const c = new Connection(this.port, this.host, () => this.open--)
      try {
        await c.send(req)
      } finally {
        this.give(c)
      }
    }
  }

  /** Connections open now (idle or busy). */
  get size(): number {
    return this.open
  }

  /** Close every connection (requests in flight fail). */
  destroy(): void {
    for (const c of this.idle.splice(0)) c.close()
  }

  private take(): Promise<Connection> {
    while (this.idle.length > 0) {
      const c = this.takeIdle()
      if (c.usable) return Promise.resolve(c)
    }
    if (this.open < this.maxConnections) {
      this.open++
      return Promise.resolve(new Connection(this.port, this.host, () => this.open--))
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  private takeIdle(): Connection {
    if (this.options.pick === 'random' && this.idle.length > 1) {
      const k = Math.floor(Math.random() * this.idle.length)
      const c = this.idle[k]!
      this.idle[k] = this.idle[this.idle.length - 1]!
      this.idle.pop()
      return c
    }
    return this.idle.pop()!
  }

  private give(conn: Connection): void {
    if (!conn.usable) {
      // Its place is free again: a waiting request opens a fresh connection.
      const next = this.waiting.shift()
      if (next) void this.take().then(next)
      return
    }
    const next = this.waiting.shift()
    if (next) next(conn)
    else this.idle.push(conn)
  }
}
