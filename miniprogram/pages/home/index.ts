// Campaign home (首页): the running campaign, its collection window and the two questionnaire
// versions; once the respondent has started, 继续答题 leads to the next section. Written as a
// Component so miniprogram-simulate can render it in tests.
import { getCurrentCampaign } from '../../services/campaign'
import { toServiceError } from '../../services/service-error'
import { myResponse, rememberScene } from '../../services/survey'
import { inviteCodeFrom, ownShareCode } from '../../services/volunteer'
import { mascotSrc } from '../../utils/mascots'
import { routes, versionFrom } from '../../utils/routes'
import { inviteCard } from '../../utils/share'
import { rewardSteps, text } from './strings'
import { toHomeView, withProgress, type HomeView } from './view'

type Phase = 'loading' | 'ready' | 'error'

/** WeChat hands a scanned code's scene URL-encoded; an undecodable one is dropped. */
function decodedScene(raw: string | undefined): string {
  try {
    return raw ? decodeURIComponent(raw) : ''
  } catch {
    return ''
  }
}

/** The hero's four mascots and the three steps of what taking part earns, each with its mascot. */
const mascots = (['an', 'quan', 'man', 'yi'] as const).map((m) => ({ id: m, src: mascotSrc(m) }))
const rewards = rewardSteps.map((step) => ({ ...step, src: mascotSrc(step.mascot) }))

Component({
  data: {
    text,
    mascots,
    rewards,
    phase: 'loading' as Phase,
    errorMessage: '',
    view: null as HomeView | null,
    /** The respondent's progress has been asked for and has arrived (or failed). */
    progressChecked: false,
    /** The scene this page was opened with (a share code's), passed on when it is forwarded. */
    scene: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      // A volunteer invite (scene i=<code>) opens the join page; a share code (专属二维码, c=<code>)
      // is kept for when the response starts.
      const invite = inviteCodeFrom({ scene: query.scene })
      if (invite) wx.navigateTo({ url: routes.volunteerJoin(invite) })
      else rememberScene(query.scene)
      this.setData({ scene: decodedScene(query.scene) })
      return this.load()
    },

    /** Fetch the campaign; every outcome ends in the 'ready' or the 'error' phase. */
    async load(): Promise<void> {
      this.setData({ phase: 'loading', errorMessage: '', progressChecked: false })
      try {
        const campaign = await getCurrentCampaign()
        const view = toHomeView(campaign)
        // The campaign shows at once; the progress (for 继续答题) follows.
        this.setData({ phase: 'ready', view })
        if (view.status === 'open') await this.loadProgress()
      } catch (err) {
        this.setData({ phase: 'error', errorMessage: toServiceError(err).message })
      }
    },

    /**
     * Whether this person has started, so home can offer 继续答题. If this fails the entries still
     * work: start is idempotent and the server names a locked version.
     */
    async loadProgress(): Promise<void> {
      try {
        const progress = await myResponse()
        const view = this.data.view
        if (view) this.setData({ view: withProgress(view, progress) })
      } catch (err) {
        console.warn('[home] progress unavailable', toServiceError(err).detail)
      } finally {
        this.setData({ progressChecked: true })
      }
    },

    onRetry() {
      return this.load()
    },

    onEntry(e: { currentTarget: { dataset: { id: string } } }) {
      const version = versionFrom(e.currentTarget.dataset.id)
      const view = this.data.view
      if (!version || !view) return
      const entry = view.entries.find((x) => x.id === version)
      if (!entry?.enabled) return
      if (view.resume?.version === version) {
        wx.navigateTo({ url: routes.section(version, view.resume.nextSectionId) })
      } else {
        wx.navigateTo({ url: routes.consent(version) })
      }
    },

    onContinue() {
      const resume = this.data.view?.resume
      if (resume) wx.navigateTo({ url: routes.section(resume.version, resume.nextSectionId) })
    },

    onDraw() {
      wx.navigateTo({ url: routes.drawHub })
    },

    /** Points come from more than the draw (share codes, transfers): always reachable. */
    onWallet() {
      wx.navigateTo({ url: routes.wallet })
    },

    /** 我的奖品: prizes won in the committee's offline draws. */
    onPrizes() {
      wx.navigateTo({ url: routes.prizes })
    },

    onStore() {
      wx.navigateTo({ url: routes.store })
    },

    onVolunteer() {
      wx.navigateTo({ url: routes.volunteer })
    },

    /** 学习与问答: science content, quizzes and the 百问百答 (people at a stand ask first). */
    onLearn() {
      wx.navigateTo({ url: routes.learn })
    },

    /**
     * A forwarded card attributes like a scanned code: a volunteer forwards with their own code,
     * anyone else passes on the code they came with.
     */
    onShareAppMessage() {
      // The scene this page was opened with counts even before it is remembered for the start.
      const card = inviteCard(
        this.data.view ? `${this.data.view.name} · ${this.data.view.slogan}` : text.shareTitle,
      )
      const own = ownShareCode()
      const scene = this.data.scene
      if (!own && scene && !inviteCodeFrom({ scene })) card.path = routes.homeWithScene(scene)
      return card
    },
  },
})
