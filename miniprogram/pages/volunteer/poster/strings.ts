// Every piece of text the poster page shows, in one place.
export const text = {
  loading: '正在生成海报…',
  loadFailed: '海报生成失败',
  retry: '重试',
  back: '返回',
  noCode: '该组织下还没有您的分享码',
  save: '保存到相册',
  saving: '正在保存…',
  saved: '已保存到相册',
  share: '转发给好友',
  deniedTitle: '需要相册权限',
  deniedContent: '保存海报需要“添加到相册”权限，请在设置中开启后重试。',
  openSetting: '去设置',
  saveFailed: '保存失败，请重试',
  hint: '保存海报后可发朋友圈或打印张贴，网民扫码答题即计入您的名下',
}
