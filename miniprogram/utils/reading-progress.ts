// Reading progress of the learning library, remembered on the phone (wx storage): which items
// were opened or finished, and the handbook's last chapter. Nothing of it goes to the server.

export type ReadingState = 'reading' | 'done'

export interface Progress {
  state: ReadingState
  /** Handbook: the chapter last open (0-based). */
  chapter?: number
  at: number
}

const KEY = 'wal.learn.progress'

export function readProgress(): Record<string, Progress> {
  try {
    const stored: unknown = wx.getStorageSync(KEY)
    return stored && typeof stored === 'object' ? (stored as Record<string, Progress>) : {}
  } catch {
    return {}
  }
}

/** Records progress on `itemId`; a finished item stays finished. */
export function saveProgress(itemId: string, state: ReadingState, chapter?: number): void {
  const all = readProgress()
  const before = all[itemId]
  all[itemId] = {
    state: before?.state === 'done' ? 'done' : state,
    ...(chapter !== undefined
      ? { chapter }
      : before?.chapter !== undefined
        ? { chapter: before.chapter }
        : {}),
    at: Date.now(),
  }
  try {
    wx.setStorageSync(KEY, all)
  } catch {
    // A full storage only loses the progress marks, never the reading.
  }
}
