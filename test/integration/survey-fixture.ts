// A small questionnaire built for the survey function tests: every question type, display logic on
// a question and on a topic, and a contradiction. The real content is tested in test/unit.
import { questionnaireSchema, type CampaignConfig, type Questionnaire } from 'wal-core'
import { startLocalCloud, type LocalCloud } from '../../emulator'
import { createFunctionHost, type FunctionHost } from '../../emulator/function-host'
import { CAMPAIGNS_COLLECTION } from '../../server/records/campaigns'
import { getDb, setClockForTests } from '../../server/db'
import { QUESTIONNAIRES_COLLECTION } from '../../server/records/campaigns'
import { clearConfigCache } from '../../server/records/config-cache'

export const CAMPAIGN: CampaignConfig = {
  id: 'test-2024',
  year: 2024,
  name: '测试调查',
  organiser: '组委会',
  slogan: '安安全全共净网 满满意意享生活',
  window: {
    startsAt: '2024-07-17T00:00:00+08:00',
    endsAt: '2024-07-27T00:00:00+08:00',
    timeZone: 'Asia/Shanghai',
  },
  versions: [
    { id: 'public', title: '公共网民版', audience: '网民' },
    { id: 'practitioner', title: '网络从业人员版', audience: '从业人员' },
  ],
}

const SATISFACTION = ['非常不满意', '不满意', '一般', '满意', '非常满意']

export const QUESTIONNAIRE: Questionnaire = questionnaireSchema.parse({
  campaignId: CAMPAIGN.id,
  quality: {
    minSecondsPerQuestion: 2,
    reviewRejectedAttempts: 3,
    patterns: {
      reversePairs: [{ id: 'rev_law', a: { question: 'tl_fair' }, b: { question: 'tl_unfair' } }],
      uniform: [{ minItems: 3, share: 1 }],
    },
    contradictions: [
      {
        id: 'minor_retired',
        a: { question: 'm_age', values: ['under18'] },
        b: { question: 'm_job', values: ['retired'] },
      },
    ],
  },
  chances: {
    public: { main: 5, perTopic: 1, cap: 7 },
    practitioner: { main: 9, perTopic: 2, cap: 15 },
  },
  versions: [
    {
      id: 'public',
      title: '公共网民版',
      sections: [
        {
          id: 'main',
          kind: 'main',
          title: '主问卷',
          questions: [
            {
              id: 'm_age',
              type: 'single',
              title: '您的年龄段',
              options: [
                { value: 'under18', label: '18岁以下' },
                { value: 'a18_40', label: '18–40岁' },
                { value: 'over40', label: '40岁以上' },
              ],
            },
            {
              id: 'm_job',
              type: 'single',
              title: '您的职业',
              options: [
                { value: 'student', label: '学生' },
                { value: 'retired', label: '离退休人员' },
                { value: 'other', label: '其他', other: true },
              ],
            },
            { id: 'm_region', type: 'region', title: '您所在的地区' },
            {
              id: 'm_hours',
              type: 'number',
              title: '您每天上网几小时',
              min: 0,
              max: 24,
              unit: '小时',
            },
            {
              id: 'm_security',
              type: 'rating',
              title: '您的网络安全感',
              labels: ['很低', '较低', '一般', '较高', '很高'],
            },
            {
              id: 'm_fraud',
              type: 'single',
              title: '过去一年是否遇到网络诈骗',
              options: [
                { value: 'yes', label: '遇到过' },
                { value: 'no', label: '没有' },
              ],
            },
            {
              id: 'm_fraud_kind',
              type: 'multiple',
              title: '遇到的诈骗类型',
              visibleIf: { all: [{ question: 'm_fraud', op: 'equals', value: 'yes' }] },
              options: [
                { value: 'shopping', label: '虚假购物' },
                { value: 'loan', label: '虚假贷款' },
                { value: 'none', label: '说不清', exclusive: true },
              ],
              max: 2,
            },
            {
              id: 'm_aspects',
              type: 'matrix',
              title: '您对以下方面的满意度',
              rows: [
                { id: 'law', label: '网络法治' },
                { id: 'privacy', label: '个人信息保护' },
                { id: 'platform', label: '平台治理' },
              ],
              labels: SATISFACTION,
            },
            {
              id: 'm_parent',
              type: 'single',
              title: '家中是否有未成年人',
              options: [
                { value: 'yes', label: '有' },
                { value: 'no', label: '没有' },
              ],
            },
            {
              id: 'm_suggest',
              type: 'text',
              title: '您的意见建议',
              required: false,
              maxLength: 200,
            },
          ],
        },
        {
          id: 't_law',
          kind: 'topic',
          title: '网络法治',
          questions: [
            {
              id: 'tl_know',
              type: 'rating',
              title: '您对网络法律法规的了解程度',
              labels: ['很少', '较少', '一般', '较多', '很多'],
            },
            { id: 'tl_fair', type: 'rating', title: '网络执法是否公正', labels: SATISFACTION },
            {
              // Reverse-keyed against tl_fair (quality.patterns.reversePairs).
              id: 'tl_unfair',
              type: 'rating',
              title: '网上违法行为常常得不到追究',
              labels: ['非常不同意', '不太同意', '一般', '比较同意', '非常同意'],
              required: false,
            },
          ],
        },
        {
          id: 't_minor',
          kind: 'topic',
          title: '未成年人网络保护',
          visibleIf: { all: [{ question: 'm_parent', op: 'equals', value: 'yes' }] },
          questions: [
            { id: 'tm_mode', type: 'rating', title: '青少年模式是否有效', labels: SATISFACTION },
          ],
        },
        {
          id: 't_shop',
          kind: 'topic',
          title: '网络购物',
          questions: [{ id: 'ts_sat', type: 'rating', title: '网购满意度', labels: SATISFACTION }],
        },
        {
          id: 't_gov',
          kind: 'topic',
          title: '数字政府',
          questions: [
            { id: 'tg_sat', type: 'rating', title: '政务服务满意度', labels: SATISFACTION },
          ],
        },
      ],
    },
    {
      id: 'practitioner',
      title: '网络从业人员版',
      sections: [
        {
          id: 'main',
          kind: 'main',
          title: '主问卷',
          questions: [
            { id: 'p_region', type: 'region', title: '您所在的地区' },
            { id: 'p_rating', type: 'rating', title: '行业安全状况', labels: SATISFACTION },
          ],
        },
        {
          id: 't_practice',
          kind: 'topic',
          title: '单位网络安全实践',
          questions: [
            { id: 'tp_rating', type: 'rating', title: '单位安全投入', labels: SATISFACTION },
          ],
        },
      ],
    },
  ],
})

export const GUANGZHOU = {
  provinceCode: '440000',
  provinceName: '广东省',
  cityCode: '440100',
  cityName: '广州市',
}

/** A valid public main section. */
export function mainAnswers(over: Record<string, unknown> = {}): Record<string, unknown> {
  // `undefined` removes a default answer (as JSON on the wire would drop it).
  const all: Record<string, unknown> = {
    m_age: 'a18_40',
    m_job: 'student',
    m_region: GUANGZHOU,
    m_hours: 5,
    m_security: 4,
    m_fraud: 'no',
    m_aspects: { law: 4, privacy: 3, platform: 4 },
    m_parent: 'no',
    ...over,
  }
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined))
}

export const OPEN_AT = Date.parse('2024-07-20T10:00:00+08:00')

/**
 * Replies are loosely typed in these tests: assertions parse them with the contract schemas where
 * the shape matters, and reach into them freely elsewhere.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LooseReply = { ok: boolean; data?: any; error?: any }

export interface SurveyWorld {
  cloud: LocalCloud
  host: FunctionHost
  /** Server time in ms; tests move it forward to look like real answering. */
  clock: { now: number }
  call(openid: string, event: Record<string, unknown>): Promise<LooseReply>
}

export async function openSurveyWorld(): Promise<SurveyWorld> {
  const cloud = startLocalCloud()
  const host = createFunctionHost({ cloud, from: 'source', only: ['survey'] })
  const clock = { now: OPEN_AT }
  setClockForTests(() => clock.now)
  clearConfigCache()
  await getDb().collection(CAMPAIGNS_COLLECTION).doc(CAMPAIGN.id).set({ data: CAMPAIGN })
  await getDb().collection(QUESTIONNAIRES_COLLECTION).doc(CAMPAIGN.id).set({ data: QUESTIONNAIRE })
  return {
    cloud,
    host,
    clock,
    call: (openid, event) =>
      host.invoke('survey', event, { openid }) as ReturnType<SurveyWorld['call']>,
  }
}

export function closeSurveyWorld(world: SurveyWorld): void {
  setClockForTests(undefined)
  clearConfigCache()
  world.cloud.close()
}

let seq = 0
export function rid(label = 'r'): string {
  seq += 1
  return `${label}-${seq.toString().padStart(6, '0')}`
}
