// Timer triggers for the local cloud: a function whose config.json declares a CloudBase timer
// trigger (7-field cron: second minute hour day month weekday year) is invoked on schedule with
// the event CloudBase sends ({ Type: 'Timer', TriggerName, Time }) and no WeChat caller. Locally
// only "every N minutes at second S" schedules are run; others are reported and skipped.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { FunctionHost } from './function-host'

export interface TimerSchedule {
  /** Second of the minute it fires at. */
  second: number
  /** Every this many minutes (1 = every minute), counted from minute 0 of the hour. */
  everyMinutes: number
}

// `0 */1 * * * * *` → { second: 0, everyMinutes: 1 }; null for schedules not run locally.
export function parseLocalCron(cron: string): TimerSchedule | null {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 7 || fields.slice(2).some((f) => f !== '*')) return null
  const [sec, min] = fields as [string, string]
  if (!/^\d{1,2}$/.test(sec) || Number(sec) > 59) return null
  const every = min === '*' ? 1 : /^\*\/(\d{1,2})$/.exec(min)?.[1]
  if (every === undefined || Number(every) < 1 || Number(every) > 59) return null
  return { second: Number(sec), everyMinutes: Number(every) }
}

/** Milliseconds from `nowMs` to the next firing of `s`. */
export function msUntilNext(s: TimerSchedule, nowMs: number): number {
  const minuteStart = Math.floor(nowMs / 60_000) * 60_000
  for (let m = 0; m <= 60; m++) {
    const at = minuteStart + m * 60_000 + s.second * 1000
    const minuteOfHour = new Date(at).getUTCMinutes()
    if (at > nowMs && minuteOfHour % s.everyMinutes === 0) return at - nowMs
  }
  return 60_000
}

interface TriggerConfig {
  triggers?: Array<{ name?: string; type?: string; config?: string }>
}

/**
 * Starts the timers of every hosted function (config.json in `functionsDir/<name>/`). Returns a
 * stop function. `log` receives one line per firing and per skipped trigger.
 */
export function startTimers(
  host: FunctionHost,
  functionsDir: string,
  log: (line: string) => void = (line) => console.log(line),
): () => void {
  const handles: NodeJS.Timeout[] = []
  for (const name of host.names) {
    const file = path.join(functionsDir, name, 'config.json')
    if (!existsSync(file)) continue
    const config = JSON.parse(readFileSync(file, 'utf8')) as TriggerConfig
    for (const trigger of config.triggers ?? []) {
      if (trigger.type !== 'timer' || !trigger.config || !trigger.name) continue
      const schedule = parseLocalCron(trigger.config)
      if (!schedule) {
        log(
          `timer ${name}.${trigger.name} "${trigger.config}": not run locally (only every N minutes)`,
        )
        continue
      }
      const fire = () => {
        const event = { Type: 'Timer', TriggerName: trigger.name, Time: new Date().toISOString() }
        void host.invoke(name, event, { openid: '' }).then((reply) => {
          log(`timer ${name}.${trigger.name}: ${JSON.stringify(reply)}`)
        })
        handles.push(setTimeout(fire, msUntilNext(schedule, Date.now())))
      }
      handles.push(setTimeout(fire, msUntilNext(schedule, Date.now())))
    }
  }
  return () => {
    for (const h of handles) clearTimeout(h)
  }
}
