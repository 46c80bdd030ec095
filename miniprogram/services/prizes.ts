// 我的奖品: the offline-draw prizes the caller won (cloud function `organiser`, action myPrizes;
// it answers WeChat callers only — the caller is read from the WeChat context, never sent).
import { organiserContract, type MyPrize } from 'wal-core'
import { callAction } from './call'

export type { MyPrize }

/** The caller's prizes, newest draw first. */
export async function getMyPrizes(): Promise<MyPrize[]> {
  return (await callAction(organiserContract, 'myPrizes', {})).prizes
}
