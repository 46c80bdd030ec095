// Every piece of text the learning pages (学习与问答) show, in one place.
export const text = {
  title: '学习与问答',
  loading: '正在加载…',
  loadFailed: '加载失败',
  retry: '重试',
  back: '返回',
  home: '返回学习首页',
  noItem: '没有指定内容，请从学习首页进入',
  finish: '读完了',
  empty: '这里还没有内容，敬请期待',
  featured: '精选推荐',
  all: '全部',
  quizzes: '测验闯关',
  faqEntry: '百问百答',
  faqHint: '活动、答题、抽奖、积分、自提、志愿服务……有问题先来这里问',
  read: '已读',
  reading: '在读',
  // video
  videoUnavailable: '视频暂时无法播放，先看下面的文字版',
  videoComing: '视频即将上线，先看下面的文字版',
  transcript: '文字版',
  // comic
  panelFallback: '图片暂时无法显示',
  // handbook
  chapters: '目录',
  prevChapter: '上一章',
  nextChapter: '下一章',
  // quiz
  submit: '提交答案',
  submitting: '正在提交…',
  incomplete: '还有题目没有作答',
  multiple: '（多选）',
  retryNote: '重试不会重复发放积分',
  again: '再做一次',
  resultTitle: '测验结果',
  passed: '恭喜通过！',
  notPassed: '还差一点，看看解析再试一次吧',
  yourAnswer: '你的答案',
  rightAnswer: '正确答案',
  correct: '回答正确',
  wrong: '回答错误',
  noPoints: '本测验不奖励积分',
  noChances: '测验不增加抽奖机会，抽奖机会只来自有效问卷',
  // faq
  searchPlaceholder: '输入问题，例如：积分怎么用',
  search: '搜索',
  ask: '提问',
  askTitle: '为你找到的回答',
  noAnswer: '没有找到确切的回答，看看下面这些问题，或换个说法再问',
  noMatch: '没有找到相关问题，换个说法试试，或按分类浏览',
  sources: '依据以下问答整理',
  composed: 'AI 整理',
  maybe: '你可能想问',
  allTopics: '全部',
  related: '相关问题',
  helpfulAsk: '这个回答有帮助吗？',
  helpful: '有帮助',
  unhelpful: '没帮助',
  thanks: '感谢你的反馈',
  share: '学习与问答 · 网民网络安全感满意度调查',
}

export const quizMeta = (questions: number, rewardPoints: number) =>
  rewardPoints > 0 ? `${questions} 题 · 首次及格奖励 ${rewardPoints} 积分` : `${questions} 题`

export const bestLine = (best: number | null, rewarded: boolean) =>
  best === null ? '未做过' : `最好成绩 ${best} 分${rewarded ? ' · 已获积分' : ''}`

export const scoreLine = (correct: number, total: number, score: number) =>
  `答对 ${correct} / ${total} 题，得分 ${score}`

export const pointsLine = (granted: number, alreadyGranted: boolean, reward: number) =>
  granted > 0
    ? `获得 ${granted} 积分，已存入“我的积分”`
    : alreadyGranted
      ? `你已领取过本测验的 ${reward} 积分，每人只奖励一次`
      : reward > 0
        ? `及格即可获得 ${reward} 积分（每人一次）`
        : text.noPoints

export const passLine = (passScore: number) => `${passScore} 分及格`

export const chapterLine = (index: number, total: number) => `第 ${index + 1} / ${total} 章`

export const readChapterLine = (chapter: number) => `读到第 ${chapter + 1} 章`

export const votesLine = (helpful: number) => (helpful > 0 ? `${helpful} 人觉得有帮助` : '')

export const durationLine = (sec: number | null) =>
  sec ? `${Math.floor(sec / 60)} 分 ${String(sec % 60).padStart(2, '0')} 秒` : ''
