// The benchmarks' reading of the machine (scripts/bench/machine.ts): steal and idle shares from
// /proc/stat, so that a latency figure is printed beside what the hypervisor took meanwhile.
import { cpuShares, formatShares, parseProcStat, readCpuTimes } from '../../scripts/bench/machine'

const stat = (user: number, idle: number, steal: number) =>
  `cpu  ${user} 5 ${user / 2} ${idle} 10 0 3 ${steal} 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2\n`

test('the aggregate cpu line: total of every state, idle with iowait, steal', () => {
  expect(parseProcStat(stat(100, 400, 50))).toEqual({
    total: 100 + 5 + 50 + 400 + 10 + 0 + 3 + 50,
    idle: 410,
    steal: 50,
  })
})

test('anything else is not understood rather than misread', () => {
  expect(parseProcStat('')).toBeNull()
  expect(parseProcStat('cpu0 1 2 3 4 5 6 7 8\n')).toBeNull() // no aggregate line
  expect(parseProcStat('cpu  1 2 3 4\n')).toBeNull() // too few fields (no steal column)
  expect(parseProcStat('cpu  1 2 x 4 5 6 7 8\n')).toBeNull()
  expect(parseProcStat('cpu  1 2 -3 4 5 6 7 8\n')).toBeNull()
})

test('shares between two readings; none without both or without time passing', () => {
  const a = parseProcStat(stat(100, 400, 50))
  const b = parseProcStat(stat(140, 420, 90)) // +40 user, +20 user/2, +20 idle, +40 steal
  expect(cpuShares(a, b)).toEqual({ steal: 40 / 120, idle: 20 / 120 })
  expect(formatShares(cpuShares(a, b))).toBe('steal 33 %, idle 17 % of its CPU time')
  expect(cpuShares(a, a)).toBeNull()
  expect(cpuShares(null, b)).toBeNull()
  expect(formatShares(null)).toBe('steal and idle not known')
})

test('reads this machine (Linux) or says it cannot', () => {
  const now = readCpuTimes()
  if (process.platform === 'linux') expect(now!.total).toBeGreaterThan(0)
  else expect(now).toBeNull()
})
