// 我的数据与隐私 (cloud function `privacy`, contract in core/privacy.ts): what is held about the
// caller, and deleting their personal information (one intent, one requestId: a lost reply is
// re-sent as is and deletes nothing twice).
import { contractRef, type DeleteReply, type MyData, type privacyContract } from 'wal-core'
import { callAction, retryableAction } from './call'

const privacyFn = contractRef<typeof privacyContract>('privacy')

export type { DeleteReply, MyData }

export function getMyData() {
  return callAction(privacyFn, 'myData', {})
}

export function deleteMyData() {
  return retryableAction(privacyFn, 'deleteMe', {})
}
