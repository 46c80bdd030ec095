// The Chromium the end-to-end tests and `npm run screens` drive: @sparticuz/chromium, an npm
// package that ships the browser (no download at run time, no system package), under
// playwright-core. WAL_CHROMIUM=/path/to/chromium uses another build (e.g. Debian's).
import chromium from '@sparticuz/chromium'
import { chromium as playwright, type Browser } from 'playwright-core'

/** Without the background-networking flags this machine's closed network refuses connections. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--font-render-hinting=none',
]

export async function launchChromium(): Promise<Browser> {
  let executablePath = process.env.WAL_CHROMIUM
  if (!executablePath) {
    try {
      executablePath = await chromium.executablePath()
    } catch (err) {
      throw new Error(
        `no Chromium for the e2e tests (${String(err)}): run \`npm install\` (it brings @sparticuz/chromium), or set WAL_CHROMIUM=/usr/bin/chromium after \`apt-get install chromium\``,
        { cause: err },
      )
    }
  }
  return playwright.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
}
