// Replies of campaign.getCurrent as the function sends them, for the 2024 campaign.
import type { CurrentCampaign } from 'wal-core'

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
