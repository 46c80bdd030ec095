// Mini-program entry: prepares the backend connection once, before any page calls a service.
import { initBackend } from './services/transport'

App({
  onLaunch() {
    initBackend()
  },
})
