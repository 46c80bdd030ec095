// Every piece of text the questionnaire section page shows, in one place.

/** Static text, handed to the template as `text`. */
export const text = {
  loading: '正在加载问卷…',
  loadFailed: '加载失败',
  retry: '重试',
  backHome: '返回首页',
  submit: '提交本部分',
  submitting: '正在提交…',
  retrySubmit: '重新提交',
  submitFailed: '提交未完成',
  fixErrors: '还有题目需要修改，请查看标红的题目',
  closedTitle: '本次调查已结束',
  closedDescription: '感谢您的关注，敬请期待下一届调查活动',
  finishedTitle: '您已完成全部问卷',
  unavailableTitle: '暂时无法作答',
  submittedTitle: '该部分已提交',
  nextSection: '继续下一部分',
  draftRestored: '已恢复您上次未提交的答案',
}

export const partOf = (index: number, total: number): string => `第 ${index}/${total} 部分`

export const answeredOf = (answered: number, total: number): string =>
  `已答 ${answered}/${total} 题`

export const finishedDescription = (chances: number): string =>
  `感谢您的参与！您共获得 ${chances} 次抽奖机会。`
