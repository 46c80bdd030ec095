// Campaign information (cloud function `campaign`).
import { currentCampaignSchema, type CurrentCampaign } from 'wal-core'
import { call } from './call'

/** The campaign the app shows now, with its status decided by the server's clock. */
export function getCurrentCampaign(): Promise<CurrentCampaign> {
  return call('campaign', { action: 'getCurrent' }, currentCampaignSchema)
}
