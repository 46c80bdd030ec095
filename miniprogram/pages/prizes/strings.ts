// Every piece of text 我的奖品 shows, in one place (the navigation bar title is in index.json).

export const text = {
  loading: '正在加载我的奖品…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  emptyTitle: '暂时没有中奖记录',
  emptyDescription:
    '各地组委会举办线下抽奖后，您抽中的奖品会显示在这里。参与答题并提交有效问卷即可参加所在城市的抽奖。',
  prizeLabel: '奖品',
  regionLabel: '抽奖地区',
  revealedLabel: '开奖时间',
  claimLabel: '领取方式',
  /** When the draw's record names no way to claim. */
  claimFallback: '请留意主办单位的领奖通知，或联系当地调查活动组委会咨询领取方式。',
  verifyTitle: '公开验证记录',
  verifyIntro:
    '开奖前已公布参与名单摘要与种子哈希，开奖时公布种子，任何人都可按公开算法重新计算中奖结果。',
  eligibleLabel: '参与人数',
  digestLabel: '名单摘要（承诺）',
  seedHashLabel: '种子哈希（承诺）',
  seedLabel: '公布的种子',
  algorithmLabel: '算法',
  notPublished: '尚未公布',
  showRecord: '查看验证记录',
  hideRecord: '收起验证记录',
  copy: '复制',
  copied: '已复制',
}

/** A region as a winner reads it: its name, or its code when the campaign has no name for it. */
export const regionText = (name: string | null, code: string): string => name ?? `地区编码 ${code}`

export const eligibleText = (count: number | null): string =>
  count === null ? text.notPublished : `${count} 人`
