// wx storage as a Map the test can read and seed (the simulate mock forgets everything).
import 'miniprogram-simulate'

export interface FakeStorage {
  readonly map: Map<string, unknown>
  restore(): void
}

export function installStorage(initial: Record<string, unknown> = {}): FakeStorage {
  const map = new Map<string, unknown>(Object.entries(initial))
  // Stored values come back as copies, as from WeChat's storage.
  const copy = (v: unknown): unknown => (v === undefined ? '' : JSON.parse(JSON.stringify(v)))
  const spies = [
    jest.spyOn(wx, 'getStorageSync').mockImplementation((key: string) => copy(map.get(key))),
    jest
      .spyOn(wx, 'setStorageSync')
      .mockImplementation((key: string, value: unknown) => void map.set(key, copy(value))),
    jest.spyOn(wx, 'removeStorageSync').mockImplementation((key: string) => void map.delete(key)),
  ]
  return { map, restore: () => spies.forEach((s) => s.mockRestore()) }
}
