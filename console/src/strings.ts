// The console's UI text in one place (Chinese; the campaign's own terms).
export const S = {
  appName: '网安联调查 · 组织者控制台',
  nav: {
    dashboard: '数据看板',
    targets: '采集任务',
    organisation: '组织管理',
    codes: '渠道码',
    store: '积分商城',
    rewards: '活动奖励',
    review: '样本审核',
    export: '数据导出',
    subsidies: '宣传补贴',
    draws: '线下抽奖',
    audit: '操作日志',
  },
  signIn: {
    title: '组织者登录',
    accountLocal: '控制台账号',
    accountCloud: '邮箱',
    password: '密码',
    submit: '登录',
    localNote: '本地环境：网关代行 CloudBase 登录，输入组委会分配的控制台账号即可。',
    signOut: '退出登录',
  },
  state: {
    loading: '加载中…',
    empty: '暂无数据',
    retry: '重试',
    failed: '加载失败',
  },
  errors: {
    FORBIDDEN: '没有权限：只能查看和操作本单位及下级的数据',
    UNAUTHENTICATED: '登录已失效，请重新登录',
    NETWORK: '网络连接失败，请稍后重试',
    BAD_REPLY: '服务器回复异常',
    CONFLICT: '数据正被他人修改，请重试',
    UNKNOWN_FUNCTION: '服务尚未部署（organiser 云函数）',
    UNKNOWN_ACTION: '服务尚未提供该功能',
  } as Record<string, string>,
}

/** A failure in the user's words: the known code's text, else the server's message. */
export function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string }
  return (e.code && S.errors[e.code]) || e.message || S.state.failed
}
