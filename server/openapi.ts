// Which adapter answers the open API port (server/openapi-port.ts): in CloudBase the one below,
// calling cloud.openapi and WeChat Pay (server/wechat-pay/); the local cloud registers
// deterministic fakes (emulator/openapi.ts) instead.
import cloud from 'wx-server-sdk'
import type { AnswerSource, OpenApi, SubscribeMessage } from './openapi-port'
import { createTransferBill, queryTransferBill } from './wechat-pay/transfer'

const LOCAL_OPENAPI = Symbol.for('wal-survey.local-openapi')

/** Used by the local cloud only: route open API calls to its fakes. */
export function registerLocalOpenApi(api: OpenApi | undefined): void {
  ;(globalThis as Record<symbol, unknown>)[LOCAL_OPENAPI] = api
}

interface CloudOpenApi {
  wxacode: {
    getUnlimited(req: {
      scene: string
      page: string
      checkPath?: boolean
    }): Promise<{ buffer: Buffer }>
  }
  subscribeMessage: {
    send(req: {
      touser: string
      templateId: string
      page: string
      data: Record<string, { value: string }>
      miniprogramState?: string
    }): Promise<unknown>
  }
  security: {
    msgSecCheck(req: { content: string; version: number; scene: number; openid: string }): Promise<{
      result?: { suggest?: string; label?: number | string }
    }>
  }
}

interface CloudAi {
  createModel(group: string): {
    generateText(req: {
      model: string
      messages: Array<{ role: 'system' | 'user'; content: string }>
    }): Promise<{ text: string }>
  }
}

/** What the model is told: restate the sources, add nothing, say so when they do not answer. */
function composePrompt(question: string, sources: AnswerSource[]): string {
  const listed = sources
    .map((s, i) => `【资料${i + 1}】问：${s.question}\n答：${s.answer}`)
    .join('\n\n')
  return (
    `请只根据下面的资料，用通俗、简短的中文回答网民的问题。不得添加资料里没有的规则、数字或承诺；` +
    `资料不足以回答时，直接说“请查看下方的相关问题”。\n\n${listed}\n\n网民的问题：${question}`
  )
}

const cloudOpenApi: OpenApi = {
  async getUnlimitedCode({ scene, page }) {
    const api = (cloud as unknown as { openapi: CloudOpenApi }).openapi
    const res = await api.wxacode.getUnlimited({ scene, page, checkPath: false })
    return res.buffer
  },
  async checkContent({ content, openid }) {
    const api = (cloud as unknown as { openapi: CloudOpenApi }).openapi
    // scene 2 = 评论 (comment-like free text), as documented for msgSecCheck v2.
    const res = await api.security.msgSecCheck({ content, version: 2, scene: 2, openid })
    const suggest = res.result?.suggest
    return {
      suggest: suggest === 'pass' ? 'pass' : suggest === 'review' ? 'review' : 'risky',
      label: String(res.result?.label ?? ''),
    }
  },
  // WeChat Pay merchant transfer with the merchant's keys from the environment variables
  // (docs/operations.md). Until they are set, it replies not_configured and payouts stay queued
  // rather than lost.
  transfer: createTransferBill,
  queryTransfer: queryTransferBill,
  async sendSubscribeMessage(message: SubscribeMessage) {
    // Template ids are per mini-program (set in the console's 订阅消息): an environment variable.
    const templateId = process.env[`WAL_TEMPLATE_${message.template.toUpperCase()}`]
    if (!templateId) throw new Error(`no template id for ${message.template} (WAL_TEMPLATE_…)`)
    const api = (cloud as unknown as { openapi: CloudOpenApi }).openapi
    await api.subscribeMessage.send({
      touser: message.openid,
      templateId,
      page: message.page,
      data: Object.fromEntries(Object.entries(message.data).map(([k, v]) => [k, { value: v }])),
    })
  },
  // CloudBase AI through wx-server-sdk ≥ 4.0.1 (cloud.ai()); the model group and model are the
  // environment's (WAL_FAQ_AI_GROUP, WAL_FAQ_AI_MODEL). Only called when WAL_FAQ_AI=on.
  async composeAnswer({ question, sources }) {
    const ai = (cloud as unknown as { ai(): CloudAi }).ai()
    const model = ai.createModel(process.env.WAL_FAQ_AI_GROUP || 'hunyuan-exp')
    const res = await model.generateText({
      model: process.env.WAL_FAQ_AI_MODEL || 'hunyuan-lite',
      messages: [{ role: 'user', content: composePrompt(question, sources) }],
    })
    return { text: res.text }
  },
}

export function getOpenApi(): OpenApi {
  const local = (globalThis as Record<symbol, unknown>)[LOCAL_OPENAPI] as OpenApi | undefined
  return local ?? cloudOpenApi
}
