// Campaign information (cloud function `campaign`).
import { contractRef, type CurrentCampaign, type campaignContract } from 'wal-core'
import { callAction } from './call'

const campaignFn = contractRef<typeof campaignContract>('campaign')

/** The campaign the app shows now, with its status decided by the server's clock. */
export function getCurrentCampaign(): Promise<CurrentCampaign> {
  return callAction(campaignFn, 'getCurrent', {})
}
