// Every piece of text the pickup-store map and list show, in one place.
export const text = {
  locating: '正在定位…',
  loading: '正在查找自提点…',
  loadFailed: '加载失败',
  retry: '重试',
  back: '返回',
  title: '礼品自提点',
  forItem: '可自提：',
  nearMe: '离我最近',
  useLocation: '使用我的位置',
  chooseCity: '选择城市',
  locationRefused: '未获得位置权限，请选择城市查看自提点，或在设置中允许使用位置',
  openSetting: '去设置',
  emptyNear: '附近 50 公里内暂无自提点',
  emptyNearHint: '可以选择上方有自提点的城市',
  emptyCity: '该城市暂无可自提此商品的自提点',
  stock: '库存',
  hours: '营业时间',
  detail: '查看',
}

export const cityLabel = (name: string, stores: number) => `${name}（${stores} 家）`
export const stockText = (n: number | null) => (n === null ? '' : n > 0 ? `库存 ${n}` : '已兑完')
