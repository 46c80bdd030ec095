// Every piece of text the privacy notice page shows, in one place. The notice itself is the
// organising committee's (组委会) text: change it here, and bump CONSENT_NOTICE_VERSION in
// utils/survey-store.ts so that everyone agrees to the new wording.

/** Static text, handed to the template as `text`. */
export const text = {
  title: '参与调查前，请阅读个人信息收集与使用说明',
  lead: '网民网络安全感满意度调查由网民网络安全感满意度调查活动组委会（以下简称“组委会”）组织开展。我们重视您的个人信息保护，请您仔细阅读以下说明。',
  agree: '我已阅读并同意以上说明',
  start: '同意并开始答题',
  starting: '正在进入问卷…',
  decline: '暂不参与',
  retry: '重试',
  backHome: '返回首页',
  startFailed: '未能进入问卷',
  closedTitle: '本次调查已结束',
  closedDescription: '感谢您的关注，敬请期待下一届调查活动',
  badVersion: '问卷版本无效，请从首页重新进入',
  mustAgree: '请先勾选同意说明',
}

/** The notice, one heading and paragraph per point. */
export const notice: ReadonlyArray<{ id: string; heading: string; body: string }> = [
  {
    id: 'collected',
    heading: '我们收集哪些信息',
    body: '您在问卷中填写的答案；您选择的常住省份和城市；微信为本小程序提供的匿名标识（OpenID），用于保证每人只答一份问卷。我们不收集您的姓名、手机号、微信号或身份证号。',
  },
  {
    id: 'purpose',
    heading: '信息用于什么',
    body: '仅用于组委会统计分析、撰写全国及各地区调查报告和提出网络安全治理建议。报告只发布汇总统计结果，不会公开任何个人的答卷。',
  },
  {
    // The period is a proposal for the committee to confirm before the campaign opens.
    id: 'retention',
    heading: '保存多久',
    body: '答卷数据保存至本届调查报告发布后两年，期满后删除或进行匿名化处理。',
  },
  {
    id: 'sharing',
    heading: '不出售、不滥用',
    body: '我们不会出售您的个人信息，也不会将其用于广告推送或与调查无关的用途。',
  },
  {
    id: 'minors',
    heading: '未成年人',
    body: '未满14周岁的未成年人，请在父母或其他监护人的陪同和同意下作答。',
  },
  {
    id: 'contact',
    heading: '联系我们',
    body: '如对个人信息处理有疑问，或希望查询、删除您的答卷，请联系网安联秘书处：电话 010-6774 1727，邮箱 cinsabj@163.com。',
  },
]
