// The hooks every page suite repeated: the page compiled once per file, a fake installed afresh
// for each test and removed after it (with any spies the test made), and wx storage as a Map.
// Each helper registers its hooks where it is called and returns a getter for the current fake.
import { ContentBackend } from './content-backend'
import { FakeMerchantTransfer } from './merchant-transfer'
import { PrivacyBackend } from './privacy-backend'
import { PrizesBackend } from './prizes-backend'
import { loadPage, renderPage, type RenderedPage } from './render'
import { RewardsBackend } from './rewards-backend'
import { installStorage, type FakeStorage } from './storage'
import { StoreBackend } from './store-backend'
import { SurveyBackend } from './survey-backend'
import { VolunteerBackend } from './volunteer-backend'

/** Compiles the page once for the file. */
export function usePage(path: string) {
  let pageId: string
  beforeAll(() => {
    pageId = loadPage(path)
  })
  return {
    /** A fresh instance of the page, not yet loaded. */
    render: (): RenderedPage => renderPage(pageId),
    /** A fresh instance whose onLoad has run with `query`, as when WeChat opens the page. */
    async open(query: Record<string, string> = {}): Promise<RenderedPage> {
      const page = renderPage(pageId)
      await page.instance.onLoad(query)
      return page
    },
  }
}

/** A fake behind a wx API, installed before each test and removed after it. */
export function useFake<F extends { install(): F; uninstall(): void }>(create: () => F): () => F {
  let fake: F | undefined
  beforeEach(() => {
    fake = create().install()
  })
  afterEach(() => {
    fake!.uninstall()
    jest.restoreAllMocks()
  })
  return () => fake!
}

/** The draw and wallet functions' fake backend, fresh for each test. */
export const useRewardsBackend = () => useFake(() => new RewardsBackend())

/** WeChat's confirmation page for merchant transfers, fresh for each test. */
export const useMerchantTransfer = () => useFake(() => new FakeMerchantTransfer())

/** The campaign and survey functions' fake backend, fresh for each test. */
export const useSurveyBackend = () => useFake(() => new SurveyBackend())

/** The volunteer function's fake backend, fresh for each test. */
export const useVolunteerBackend = () => useFake(() => new VolunteerBackend())

/** The store function's fake backend, fresh for each test. */
export const useStoreBackend = () => useFake(() => new StoreBackend())

/** The content function's fake backend (学习与问答), fresh for each test. */
export const useContentBackend = () => useFake(() => new ContentBackend())

/** The privacy function's fake backend (我的数据与隐私), fresh for each test. */
export const usePrivacyBackend = () => useFake(() => new PrivacyBackend())

/** The organiser function's myPrizes fake (我的奖品), fresh for each test. */
export const usePrizesBackend = () => useFake(() => new PrizesBackend())

/** wx storage as a Map, empty for each test. */
export function useStorage(): () => FakeStorage {
  let storage: FakeStorage | undefined
  beforeEach(() => {
    storage = installStorage()
  })
  afterEach(() => storage!.restore())
  return () => storage!
}
