// 我的奖品: the offline-draw prizes the caller won (cloud function `organiser`, action myPrizes;
// it answers WeChat callers only — the caller is read from the WeChat context, never sent).
import { contractRef, type MyPrize, type organiserContract } from 'wal-core'
import { callAction } from './call'

const organiserFn = contractRef<typeof organiserContract>('organiser')

export type { MyPrize }

/** The caller's prizes, newest draw first. */
export async function getMyPrizes(): Promise<MyPrize[]> {
  return (await callAction(organiserFn, 'myPrizes', {})).prizes
}
