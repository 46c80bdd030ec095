// Where the pages live, and the query each takes: one place, so links cannot drift.
import { isDrawKind, isVersionId, type ContentKind, type DrawKind, type VersionId } from 'wal-core'

export const routes = {
  home: '/pages/home/index',
  consent: (version: VersionId): string => `/pages/survey/consent/index?version=${version}`,
  /** Without a section, the page opens the next one the respondent has to answer. */
  section: (version: VersionId, sectionId?: string | null): string =>
    `/pages/survey/section/index?version=${version}${sectionId ? `&section=${sectionId}` : ''}`,
  done: (version: VersionId, sectionId: string): string =>
    `/pages/survey/done/index?version=${version}&section=${sectionId}`,
  drawHub: '/pages/draw/hub/index',
  nineGrid: '/pages/draw/nine-grid/index',
  /** A treasure box (宝箱): copper, silver or gold. */
  box: (kind: BoxKind): string => `/pages/draw/box/index?kind=${kind}`,
  drawHistory: '/pages/draw/history/index',
  wallet: '/pages/wallet/index',
  transfer: '/pages/wallet/transfer/index',
  /** Cash red envelopes waiting for their winner to confirm receipt (待领取红包). */
  cash: '/pages/wallet/cash/index',
  /** Home as a scanned code or a forwarded card opens it: the scene attributes the answers. */
  homeWithScene: (scene: string): string => `/pages/home/index?scene=${encodeURIComponent(scene)}`,
  /** 我的志愿服务. */
  volunteer: '/pages/volunteer/index',
  /** An invite (邀请码) to join a node. */
  volunteerJoin: (code: string): string => `/pages/volunteer/join/index?code=${code}`,
  /** A node admin's page (members, counts against target, invites). */
  volunteerNode: (nodeId: string): string => `/pages/volunteer/node/index?id=${nodeId}`,
  /** The share poster of one's code under a node. */
  volunteerPoster: (nodeId: string): string => `/pages/volunteer/poster/index?node=${nodeId}`,
  /** 积分商城. */
  store: '/pages/store/index',
  storeItem: (itemId: string): string => `/pages/store/item/index?id=${itemId}`,
  /** Pickup stores on a map and in a list, nearest first (for an item: those that hold it). */
  storeMap: (itemId?: string): string =>
    `/pages/store/stores/index${itemId ? `?item=${itemId}` : ''}`,
  /** One pickup store: hours, phone, 导航, and reserving the item there. */
  storeShop: (storeId: string, itemId?: string): string =>
    `/pages/store/shop/index?id=${storeId}${itemId ? `&item=${itemId}` : ''}`,
  /** 我的兑换. */
  myRedemptions: '/pages/store/mine/index',
  /** A volunteer certificate by its number: drawn for its holder, verifiable by anyone (证书查验). */
  certificate: (number: string): string => `/pages/store/certificate/index?no=${number}`,
  /** The clerk's desk (店员核销) of one store. */
  clerk: (storeId: string): string => `/pages/store/clerk/index?store=${storeId}`,
  /** 学习与问答: categories, featured items, quizzes and the way into the 百问百答. */
  learn: '/pages/learn/index',
  /** An article, video, comic or the handbook, each on its own page. */
  learnItem: (kind: ContentKind, id: string): string => `/pages/learn/${kind}/index?id=${id}`,
  learnQuiz: (quizId: string): string => `/pages/learn/quiz/index?id=${quizId}`,
  /** 百问百答, optionally asking `question` at once. */
  learnFaq: (question?: string): string =>
    `/pages/learn/faq/index${question ? `?q=${encodeURIComponent(question)}` : ''}`,
  /** One answer with related questions and "did this help". */
  learnAnswer: (faqId: string): string => `/pages/learn/answer/index?id=${faqId}`,
  /** 我的奖品: prizes won in offline draws, how to claim them, each draw's public record. */
  prizes: '/pages/prizes/index',
  /** 我的数据与隐私: what is held about the caller, and deleting their personal information. */
  privacy: '/pages/settings/privacy/index',
}

export type BoxKind = Exclude<DrawKind, 'nine_grid'>

/** The page that draws `kind`: the nine-grid has its own, the three boxes share one. */
export function drawPageOf(kind: DrawKind): string {
  return kind === 'nine_grid' ? routes.nineGrid : routes.box(kind)
}

/** A box kind named in a page query, or null. */
export function boxKindFrom(raw: unknown): BoxKind | null {
  return isDrawKind(raw) && raw !== 'nine_grid' ? raw : null
}

/** The version named in a page query, or null when it names none we know. */
export function versionFrom(raw: unknown): VersionId | null {
  return isVersionId(raw) ? raw : null
}

/** A section id from a page query (ids are lower-case snake case), or null. */
export function sectionFrom(raw: unknown): string | null {
  return typeof raw === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(raw) ? raw : null
}

/** Back to the home page, closing the survey pages (the way out of every dead end). */
export function goHome(): void {
  wx.reLaunch({ url: routes.home })
}

/** Back to the page that opened this one, or to `fallback` when it was opened on its own. */
export function goBack(fallback: string): void {
  if (getCurrentPages().length > 1) wx.navigateBack()
  else wx.redirectTo({ url: fallback })
}
