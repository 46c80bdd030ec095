// Mini-program entry: prepares the backend connection once, before any page calls a service, and
// keeps the share-code scene the app was opened with (专属二维码) for when a response starts.
import { rememberScene } from './services/survey'
import { initBackend } from './services/transport'

App({
  onLaunch(options) {
    initBackend()
    rememberScene(options?.query?.scene)
  },
})
