// Campaign information (cloud function `campaign`).
import { campaignContract, type CurrentCampaign } from 'wal-core'
import { callAction } from './call'

/** The campaign the app shows now, with its status decided by the server's clock. */
export function getCurrentCampaign(): Promise<CurrentCampaign> {
  return callAction(campaignContract, 'getCurrent', {})
}
