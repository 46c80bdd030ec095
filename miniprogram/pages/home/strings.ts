// Every piece of text the home page shows, in one place (the navigation bar title is in
// index.json, where WeChat reads it).
import type { WindowStatus } from 'wal-core'

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在加载调查活动…',
  loadFailed: '加载失败',
  retry: '重试',
  windowLabel: '采集时间',
  organiserLabel: '主办单位',
  chooseVersion: '请选择问卷版本',
  closedTitle: '本次调查已结束',
  closedDescription: '感谢您的关注，敬请期待下一届调查活动',
  draw: '去抽奖',
  wallet: '我的积分',
  prizes: '我的奖品',
  prizesHint: '线下抽奖中奖记录与领取方式',
  store: '积分商城',
  storeHint: '用积分兑换礼品、文创产品和调查报告',
  volunteer: '我的志愿服务',
  volunteerHint: '志愿者分享码、团队与服务站',
  learn: '学习与问答',
  learnHint: '防诈宝典、科普测验和百问百答',
  shareTitle: '网民网络安全感满意度调查',
  mascotsLabel: '安全满意网络四宝',
  rewardsTitle: '参与调查 · 赢取奖励',
}

/**
 * What taking part earns (参与有礼), in the order it happens; no figures, which are the campaign's
 * configuration (chances per section, the draw table) and shown where they apply.
 */
export const rewardSteps = [
  { id: 'answer', mascot: 'an', title: '答问卷', caption: '得抽奖机会，专题越多机会越多' },
  { id: 'draw', mascot: 'man', title: '去抽奖', caption: '九宫格、宝箱，赢网安联积分' },
  { id: 'redeem', mascot: 'quan', title: '兑好礼', caption: '积分换礼品、文创，就近自提' },
] as const

export const statusText: Record<WindowStatus, string> = {
  open: '进行中',
  upcoming: '未开始',
  closed: '已结束',
}

export const entryCaption = {
  open: '',
  upcoming: '调查尚未开始',
  /** The other version, once a respondent has chosen (one version per person). */
  locked: '您已选择其他版本，版本确定后不能更改',
}

export const resumeText = {
  continue: '继续答题',
  results: '查看答题结果',
}

export const resumeNotice = (versionTitle: string, nextTitle: string | null): string =>
  nextTitle
    ? `您已开始答题（${versionTitle}），下一部分：${nextTitle}`
    : `您已完成${versionTitle}全部问卷`

export const opensAt = (when: string): string => `调查将于 ${when} 开始`
