// The one place that says which backend the mini-program talks to.
//
// To switch: set `backend` below.
// - 'local': every call is a wx.request POST to the gateway started by `npm start`
//   (`localGatewayUrl`/functions/<name>). The URL is written here, not read from WAL_PORT: when
//   `npm start` listens elsewhere (it prints where), or a phone reaches it at this machine's LAN
//   address, change `localGatewayUrl` to match. In WeChat DevTools tick 详情 → 本地设置 →
//   不校验合法域名 so that requests to 127.0.0.1 are allowed.
// - 'cloud': every call is wx.cloud.callFunction in the CloudBase environment `cloudEnvId`.
//   The env id is not a secret, but it is per deployment: fill it in locally, do not commit yours.
// Nothing else in the app reads these values except miniprogram/services/.

export type BackendMode = 'local' | 'cloud'

export interface AppConfig {
  backend: BackendMode
  /** Base URL of the local gateway, without a trailing slash. */
  localGatewayUrl: string
  /** CloudBase environment id (云开发环境 ID); only used in 'cloud' mode. */
  cloudEnvId: string
  /** How long one backend call may take before the user is told it timed out. */
  callTimeoutMs: number
  /**
   * Subscription message template ids (订阅消息, from the mini-program console) the store asks
   * for when reserving: the pickup reminder. Empty: not asked (the local demo).
   */
  subscribeTemplates: string[]
}

export const config: AppConfig = {
  backend: 'local',
  localGatewayUrl: 'http://127.0.0.1:3900',
  cloudEnvId: '',
  callTimeoutMs: 10000,
  subscribeTemplates: [],
}
