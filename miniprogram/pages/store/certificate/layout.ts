// The volunteer certificate (志愿者证书) as drawing steps on an 800×560 canvas (pure: tests read
// them; the page replays them on Canvas 2D, as the share poster does).
import type { Certificate } from 'wal-core'

export const CERT_WIDTH = 800
export const CERT_HEIGHT = 560

export type CertStep =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; color: string; stroke?: boolean }
  | { kind: 'text'; text: string; x: number; y: number; font: string; color: string }

const FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
const BRAND = '#0052d9'
const INK = 'rgba(0, 0, 0, 0.9)'
const MUTED = 'rgba(0, 0, 0, 0.6)'

/** 2025年3月1日 from an ISO instant, in China time (UTC+8, no daylight saving). */
export function issuedText(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3_600_000)
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

export function certificateSteps(c: Certificate): CertStep[] {
  const mid = CERT_WIDTH / 2
  return [
    { kind: 'rect', x: 0, y: 0, w: CERT_WIDTH, h: CERT_HEIGHT, color: '#ffffff' },
    {
      kind: 'rect',
      x: 20,
      y: 20,
      w: CERT_WIDTH - 40,
      h: CERT_HEIGHT - 40,
      color: BRAND,
      stroke: true,
    },
    {
      kind: 'text',
      text: '志 愿 者 证 书',
      x: mid,
      y: 110,
      font: `bold 44px ${FONT}`,
      color: BRAND,
    },
    {
      kind: 'text',
      text: `${c.holder} 同志：`,
      x: mid,
      y: 200,
      font: `bold 30px ${FONT}`,
      color: INK,
    },
    {
      kind: 'text',
      text: `在网民网络安全感满意度调查活动中，作为${c.nodeName.slice(0, 16)}志愿者，`,
      x: mid,
      y: 260,
      font: `24px ${FONT}`,
      color: INK,
    },
    {
      kind: 'text',
      text: `通过专属分享码收集有效样本 ${c.validSamples} 份，特发此证，以资鼓励。`,
      x: mid,
      y: 300,
      font: `24px ${FONT}`,
      color: INK,
    },
    {
      kind: 'text',
      text: '网民网络安全感满意度调查活动组委会',
      x: mid,
      y: 400,
      font: `24px ${FONT}`,
      color: INK,
    },
    {
      kind: 'text',
      text: issuedText(c.issuedAt),
      x: mid,
      y: 440,
      font: `22px ${FONT}`,
      color: MUTED,
    },
    {
      kind: 'text',
      text: `证书编号 ${c.number} · 可在小程序“证书查验”核验`,
      x: mid,
      y: 500,
      font: `18px ${FONT}`,
      color: MUTED,
    },
  ]
}
