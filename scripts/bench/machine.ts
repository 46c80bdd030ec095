// What the machine did during a run, beside what the benchmark measured: the share of its CPU
// time the hypervisor gave to other guests (steal) and the share left idle, from /proc/stat
// (Linux; null elsewhere). On this project's virtual machine steal was 0–45 % of the two CPUs
// from one hour to the next, which moves every latency figure (docs/benchmarks-history.md).
import { readFileSync } from 'node:fs'

/** Clock ticks of all CPUs together since boot. */
export interface CpuTimes {
  total: number
  idle: number
  steal: number
}

/** The aggregate `cpu` line of /proc/stat; null when it is missing or not understood. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '))
  if (!line) return null
  const fields = line.trim().split(/\s+/).slice(1).map(Number)
  if (fields.length < 8 || fields.some((n) => !Number.isInteger(n) || n < 0)) return null
  // user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  return {
    total: user + nice + system + idle + iowait + irq + softirq + steal,
    idle: idle + iowait,
    steal,
  }
}

export function readCpuTimes(): CpuTimes | null {
  try {
    return parseProcStat(readFileSync('/proc/stat', 'utf8'))
  } catch {
    return null
  }
}

/** Shares (0–1) of the machine's CPU time between two readings that were stolen and idle. */
export function cpuShares(
  before: CpuTimes | null,
  after: CpuTimes | null,
): { steal: number; idle: number } | null {
  if (!before || !after) return null
  const total = after.total - before.total
  if (total <= 0) return null
  return { steal: (after.steal - before.steal) / total, idle: (after.idle - before.idle) / total }
}

/** "steal 23 %, idle 8 % of its CPU time" (or "not known" off Linux). */
export function formatShares(shares: { steal: number; idle: number } | null): string {
  if (!shares) return 'steal and idle not known'
  const pct = (x: number) => `${Math.round(x * 100)} %`
  return `steal ${pct(shares.steal)}, idle ${pct(shares.idle)} of its CPU time`
}
