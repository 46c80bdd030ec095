// A fake backend behind wx.request for the `organiser` function's myPrizes (我的奖品): the
// caller's prizes, each reply parsed with the contract's output schema (organiserContract), so
// the fake cannot drift from what the real function promises.
import { ok, organiserContract, type Envelope, type MyPrize } from 'wal-core'
import { ContractBackend, failWith } from './fake-backend'

export function aPrize(over: Partial<MyPrize> = {}): MyPrize {
  return {
    drawId: 'od-0123456789abcdef',
    title: '广州市网民网络安全感调查线下抽奖',
    regionCode: '440100',
    regionName: '广州市',
    prizeKind: 'data',
    label: '10GB 通用流量包',
    claim: '凭中奖页面到天河区任一营业厅领取，截止 2024 年 9 月 30 日',
    revealedAt: '2024-07-28T08:00:00.000Z',
    verification: {
      algorithm: 'wal-draw-v1',
      eligibleCount: 4211,
      listDigest: 'a1'.repeat(32),
      seedHash: 'b2'.repeat(32),
      seed: 'c3'.repeat(32),
    },
    ...over,
  }
}

export class PrizesBackend extends ContractBackend<typeof organiserContract> {
  protected readonly contract = organiserContract
  prizes: MyPrize[] = [aPrize()]

  protected handle(e: Record<string, unknown>): Envelope<unknown> {
    return e.action === 'myPrizes'
      ? ok({ prizes: this.prizes })
      : failWith('UNKNOWN_ACTION', `organiser.${String(e.action)}`)
  }
}
