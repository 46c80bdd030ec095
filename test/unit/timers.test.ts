// Local timer triggers: the CloudBase cron forms run locally are parsed, the next firing is found,
// and a function's config.json trigger invokes it with a timer event and no caller.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FunctionHost } from '../../emulator/function-host'
import { msUntilNext, parseLocalCron, startTimers } from '../../emulator/timers'

test('every-N-minutes schedules are run locally; others are not', () => {
  expect(parseLocalCron('0 */1 * * * * *')).toEqual({ second: 0, everyMinutes: 1 })
  expect(parseLocalCron('30 */5 * * * * *')).toEqual({ second: 30, everyMinutes: 5 })
  expect(parseLocalCron('0 * * * * * *')).toEqual({ second: 0, everyMinutes: 1 })
  expect(parseLocalCron('0 0 2 1 * * *')).toBeNull() // monthly: not run locally
  expect(parseLocalCron('0 */1 * * *')).toBeNull() // five fields is not CloudBase's format
})

test('the next firing is the next matching minute at the given second', () => {
  const t = Date.parse('2024-07-20T10:07:30Z')
  expect(msUntilNext({ second: 0, everyMinutes: 1 }, t)).toBe(30_000)
  expect(msUntilNext({ second: 45, everyMinutes: 1 }, t)).toBe(15_000)
  expect(msUntilNext({ second: 0, everyMinutes: 5 }, t)).toBe(150_000) // 10:10:00
})

test('a timer trigger invokes its function with the timer event and no caller', () => {
  jest.useFakeTimers({ now: Date.parse('2024-07-20T10:07:30Z') })
  const dir = mkdtempSync(path.join(tmpdir(), 'wal-timers-'))
  try {
    mkdirSync(path.join(dir, 'payout'))
    writeFileSync(
      path.join(dir, 'payout', 'config.json'),
      JSON.stringify({
        triggers: [{ name: 'everyMinute', type: 'timer', config: '0 */1 * * * * *' }],
      }),
    )
    const invoke = jest.fn(async () => ({ ok: true as const, data: null }))
    const host = { names: ['payout'], has: () => true, invoke } as unknown as FunctionHost
    const stop = startTimers(host, dir, () => {})
    jest.advanceTimersByTime(29_000)
    expect(invoke).not.toHaveBeenCalled()
    jest.advanceTimersByTime(1_000 + 60_000)
    expect(invoke).toHaveBeenCalledTimes(2)
    expect(invoke).toHaveBeenCalledWith(
      'payout',
      { Type: 'Timer', TriggerName: 'everyMinute', Time: '2024-07-20T10:08:00.000Z' },
      { openid: '' },
    )
    stop()
    jest.advanceTimersByTime(300_000)
    expect(invoke).toHaveBeenCalledTimes(2)
  } finally {
    jest.useRealTimers()
    rmSync(dir, { recursive: true, force: true })
  }
})
