// The organiser console: Vue 3 with TDesign for the web, the same design system as the
// mini-program's tdesign-miniprogram.
import { createApp } from 'vue'
import TDesign from 'tdesign-vue-next'
import 'tdesign-vue-next/es/style/index.css'
// Noto Sans SC as a web font (only the subsets a page uses load): the same glyphs on every desk
// and in headless Chromium, which has no CJK font of its own.
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/600.css'
import './theme.css'
import App from './App.vue'
import { router } from './router'

createApp(App).use(TDesign).use(router).mount('#app')
