// Replies of campaign.getCurrent as the function sends them, for the 2024 campaign.
import type { CurrentCampaign, Progress } from 'wal-core'

export const campaign2024: CurrentCampaign = {
  id: 'wal-2024',
  year: 2024,
  name: '2024网民网络安全感满意度调查活动',
  organiser: '网民网络安全感满意度调查活动组委会',
  slogan: '安安全全共净网 满满意意享生活',
  // 07-17 00:00 to 07-26 24:00, China time; the end is exclusive.
  window: {
    startsAt: '2024-07-17T00:00:00+08:00',
    endsAt: '2024-07-27T00:00:00+08:00',
    timeZone: 'Asia/Shanghai',
  },
  versions: [
    { id: 'public', title: '公共网民版', audience: '面向广大网民' },
    { id: 'practitioner', title: '网络从业人员版', audience: '面向网络安全及相关行业从业人员' },
  ],
  status: 'open',
  serverTime: '2024-07-20T02:00:00.000Z',
}

export const withStatus = (status: CurrentCampaign['status']): CurrentCampaign => ({
  ...campaign2024,
  status,
})

/** Progress after a valid public main part, one topic still to answer (5 of 10 chances). */
export function startedPublicProgress(): Progress {
  return {
    started: true,
    campaignId: 'wal-2024',
    version: 'public',
    sections: [
      { id: 'main', kind: 'main', title: '主问卷', status: 'valid' },
      { id: 'rule_of_law', kind: 'topic', title: '网络法治', status: 'todo' },
    ],
    chancesTotal: 5,
    chancesCap: 10,
    nextSectionId: 'rule_of_law',
  }
}
