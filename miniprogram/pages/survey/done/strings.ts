// Every piece of text the section-complete page shows, in one place.

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在查询答题结果…',
  loadFailed: '加载失败',
  retry: '重试',
  validTitle: '提交成功',
  invalidTitle: '本部分未计入有效样本',
  submittedTitle: '该部分已提交',
  nextTopic: '继续答下一个专题',
  allTopics: '查看全部专题',
  hideTopics: '收起专题列表',
  draw: '去抽奖',
  backHome: '返回首页',
  allDone: '您已完成全部问卷，感谢参与！',
  topicsTitle: '全部问卷部分',
}

export const statusLabel = { todo: '未作答', valid: '已完成', invalid: '未计入' } as const

export const earned = (chances: number): string =>
  chances > 0 ? `本部分获得 ${chances} 次抽奖机会` : '本部分未获得抽奖机会'

export const total = (chances: number, cap: number): string =>
  `您共有 ${chances} 次抽奖机会（最多 ${cap} 次）`
