import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'maplibre-gl/dist/maplibre-gl.css'
import './styles/base.css'
import './charts/echarts-setup.js'
import App from './App.vue'
import { vScrollRegion } from './composables/scroll-region.js'
import { router } from './router.js'

createApp(App).use(createPinia()).use(router).directive('scroll-region', vScrollRegion).mount('#app')
