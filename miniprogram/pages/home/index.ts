// Campaign home (首页): the running campaign, its collection window and the two questionnaire
// versions. Written as a Component so miniprogram-simulate can render it in tests.
import { getCurrentCampaign } from '../../services/campaign'
import { toServiceError } from '../../services/service-error'
import { text } from './strings'
import { toHomeView, type HomeView } from './view'

type Phase = 'loading' | 'ready' | 'error'

Component({
  data: {
    text,
    phase: 'loading' as Phase,
    errorMessage: '',
    view: null as HomeView | null,
  },

  methods: {
    onLoad() {
      return this.load()
    },

    /** Fetch the campaign; every outcome ends in the 'ready' or the 'error' phase. */
    async load(): Promise<void> {
      this.setData({ phase: 'loading', errorMessage: '' })
      try {
        const campaign = await getCurrentCampaign()
        this.setData({ phase: 'ready', view: toHomeView(campaign) })
      } catch (err) {
        this.setData({ phase: 'error', errorMessage: toServiceError(err).message })
      }
    },

    onRetry() {
      return this.load()
    },
  },
})
