// The share poster's layout as a list of drawing steps (pure: the page replays them on a Canvas
// 2D context; tests read them). 600×960 logical pixels, drawn at the device's pixel ratio.
export const POSTER_WIDTH = 600
export const POSTER_HEIGHT = 960

export type PosterStep =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; color: string; radius?: number }
  | {
      kind: 'text'
      text: string
      x: number
      y: number
      font: string
      color: string
      align: 'center' | 'left'
    }
  | { kind: 'image'; src: string; x: number; y: number; w: number; h: number }

export interface PosterContent {
  campaignName: string
  slogan: string
  displayName: string
  pathText: string
  code: string
  /** The code image's URL; without it the code is printed large instead. */
  imageUrl: string | null
}

const BRAND = '#0052d9'
const WHITE = '#ffffff'
const INK = 'rgba(0, 0, 0, 0.9)'
const MUTED = 'rgba(0, 0, 0, 0.6)'
const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
const MASCOT_LINE = '安全满意网络四宝邀您一起答题'

/** Long text cut to fit about `max` characters (CJK are wide; no measuring on the pure side). */
function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

export function posterSteps(c: PosterContent): PosterStep[] {
  const mid = POSTER_WIDTH / 2
  const steps: PosterStep[] = [
    { kind: 'rect', x: 0, y: 0, w: POSTER_WIDTH, h: POSTER_HEIGHT, color: BRAND },
    {
      kind: 'text',
      text: fit(c.campaignName, 18),
      x: mid,
      y: 96,
      font: `bold 30px ${FONT}`,
      color: WHITE,
      align: 'center',
    },
    {
      kind: 'text',
      text: `「${fit(c.slogan, 16)}」`,
      x: mid,
      y: 160,
      font: `bold 34px ${FONT}`,
      color: WHITE,
      align: 'center',
    },
    {
      kind: 'text',
      text: MASCOT_LINE,
      x: mid,
      y: 214,
      font: `24px ${FONT}`,
      color: WHITE,
      align: 'center',
    },
    { kind: 'rect', x: 60, y: 260, w: 480, h: 620, color: WHITE, radius: 24 },
    {
      kind: 'text',
      text: `${fit(c.displayName, 12)} 邀请您参加`,
      x: mid,
      y: 326,
      font: `bold 30px ${FONT}`,
      color: INK,
      align: 'center',
    },
    {
      kind: 'text',
      text: fit(c.pathText, 22),
      x: mid,
      y: 370,
      font: `22px ${FONT}`,
      color: MUTED,
      align: 'center',
    },
  ]
  if (c.imageUrl) steps.push({ kind: 'image', src: c.imageUrl, x: 150, y: 400, w: 300, h: 300 })
  else
    steps.push({
      kind: 'text',
      text: c.code,
      x: mid,
      y: 570,
      font: `bold 72px ${FONT}`,
      color: BRAND,
      align: 'center',
    })
  steps.push(
    {
      kind: 'text',
      text: `分享码 ${c.code}`,
      x: mid,
      y: 752,
      font: `bold 30px ${FONT}`,
      color: INK,
      align: 'center',
    },
    {
      kind: 'text',
      text: '微信扫码 · 参与网络安全感满意度调查',
      x: mid,
      y: 800,
      font: `24px ${FONT}`,
      color: MUTED,
      align: 'center',
    },
    {
      kind: 'text',
      text: '认真作答有机会抽取积分和红包',
      x: mid,
      y: 840,
      font: `24px ${FONT}`,
      color: MUTED,
      align: 'center',
    },
  )
  return steps
}
