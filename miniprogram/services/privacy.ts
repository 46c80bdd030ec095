// 我的数据与隐私 (cloud function `privacy`, contract in core/privacy.ts): what is held about the
// caller, and deleting their personal information (one intent, one requestId: a lost reply is
// re-sent as is and deletes nothing twice).
import { privacyContract, type DeleteReply, type MyData } from 'wal-core'
import { callAction, retryableAction } from './call'

export type { DeleteReply, MyData }

export function getMyData() {
  return callAction(privacyContract, 'myData', {})
}

export function deleteMyData() {
  return retryableAction(privacyContract, 'deleteMe', {})
}
