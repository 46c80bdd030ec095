// Seeds the learning library from campaigns/<folder>/content.json (articles, videos, comics, the
// handbook, quizzes) and faq.json (百问百答). Images named by a storage path ending in .svg are
// drawn here as simple original placeholders and put in cloud storage (never bundled in the
// mini-program); the documents keep their fileIDs. Idempotent, and it never overwrites what an
// organiser edited since (updatedBy is theirs): a second run changes nothing.
import { isDeepStrictEqual } from 'node:util'
import type { ContentFile, ContentItem, FaqFile } from 'wal-core'
import { getDb, readDoc, runTransaction } from '../server/db'
import { CONTENT_ITEMS, FAQS, QUIZZES, bumpVersion } from '../server/records/content'
import { getStorage } from '../server/storage'

type Outcome = 'created' | 'updated' | 'unchanged'

const PALETTE: Record<string, string> = {
  fraud: '#0052d9',
  privacy: '#2ba471',
  minors: '#e37318',
  shopping: '#7b3fe4',
  campaign: '#0052d9',
}

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  )

/** Lines of at most `width` characters (Chinese text has no spaces to break at). */
function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = []
  for (let i = 0; i < text.length && lines.length < maxLines; i += width)
    lines.push(text.slice(i, i + width))
  return lines
}

/** A 750×500 placeholder picture: a coloured card with the heading and the caption. */
function placeholderSvg(heading: string, caption: string, colour = '#0052d9'): Buffer {
  const lines = wrap(caption, 18, 4)
    .map(
      (l, i) =>
        `<text x="60" y="${250 + i * 52}" font-size="36" fill="#1f2329">${escapeXml(l)}</text>`,
    )
    .join('')
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="750" height="500" viewBox="0 0 750 500">` +
    `<rect width="750" height="500" rx="24" fill="#f2f3ff"/>` +
    `<rect width="750" height="150" rx="24" fill="${colour}"/>` +
    `<text x="60" y="95" font-size="44" font-weight="bold" fill="#ffffff">${escapeXml(heading)}</text>` +
    lines +
    `</svg>`
  return Buffer.from(svg, 'utf8')
}

/** Puts a drawn placeholder at a .svg storage path; other paths and URLs are kept as they are. */
async function stored(media: string | null, heading: string, caption: string, colour: string) {
  if (!media || !media.endsWith('.svg') || media.includes('://')) return media
  return getStorage().put(media, placeholderSvg(heading, caption, colour))
}

/** The item with its drawn images uploaded and named by their fileIDs. */
async function withMedia(item: ContentItem): Promise<ContentItem> {
  const colour = PALETTE[item.category] ?? '#0052d9'
  const cover = await stored(item.cover, item.title, item.summary, colour)
  switch (item.kind) {
    case 'article':
      return {
        ...item,
        cover,
        body: await Promise.all(
          item.body.map(async (b) =>
            b.type === 'image'
              ? { ...b, src: (await stored(b.src, item.title, b.alt, colour))! }
              : b,
          ),
        ),
      }
    case 'video':
      return {
        ...item,
        cover,
        poster: await stored(item.poster, item.title, `视频 · ${item.summary}`, colour),
      }
    case 'comic':
      return {
        ...item,
        cover,
        panels: await Promise.all(
          item.panels.map(async (p, i) => ({
            ...p,
            image: await stored(p.image, `${item.title}（${i + 1}）`, p.caption, colour),
          })),
        ),
      }
    case 'handbook':
      return { ...item, cover }
  }
}

/**
 * Writes `data` under `id` unless the stored document already says the same, or an organiser
 * edited it (then the organiser's version stays).
 */
async function upsert(collection: string, id: string, data: Record<string, unknown>, now: Date) {
  const ref = getDb().collection(collection).doc(id)
  const stored = await readDoc<Record<string, unknown>>(ref)
  if (stored && stored.updatedBy !== 'seed') return 'unchanged'
  const wanted = { ...data, updatedBy: 'seed' }
  if (stored) {
    const picked = Object.fromEntries(Object.keys(wanted).map((k) => [k, stored[k]]))
    if (isDeepStrictEqual(picked, JSON.parse(JSON.stringify(wanted)))) return 'unchanged'
  }
  await ref.set({
    data: { ...wanted, createdAt: (stored?.createdAt as Date | undefined) ?? now, updatedAt: now },
  })
  return stored ? 'updated' : 'created'
}

export async function seedContent(
  content: ContentFile | null,
  faq: FaqFile | null,
  now: Date,
): Promise<Outcome> {
  const outcomes: Outcome[] = []
  for (const item of content?.items ?? []) {
    const { id, ...rest } = await withMedia(item)
    outcomes.push(await upsert(CONTENT_ITEMS, id, rest, now))
  }
  for (const quiz of content?.quizzes ?? []) {
    const { id, ...rest } = quiz
    outcomes.push(await upsert(QUIZZES, id, rest, now))
  }
  for (const f of faq?.faqs ?? []) {
    const { id, ...rest } = f
    outcomes.push(await upsert(FAQS, id, rest, now))
  }
  const changed = outcomes.some((o) => o !== 'unchanged')
  // What is published changed: the next search builds a fresh index.
  if (changed) await runTransaction((tx) => bumpVersion(tx, now))
  return outcomes.includes('created') ? 'created' : changed ? 'updated' : 'unchanged'
}
