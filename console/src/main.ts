// The organiser console: Vue 3 with TDesign for the web, the same design system as the
// mini-program's tdesign-miniprogram.
import { createApp } from 'vue'
import TDesign from 'tdesign-vue-next'
import 'tdesign-vue-next/es/style/index.css'
import './theme.css'
import App from './App.vue'
import { router } from './router'

createApp(App).use(TDesign).use(router).mount('#app')
