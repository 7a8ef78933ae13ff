import { createRouter, createWebHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'
import { installAccessGuard } from './stores/auth.js'

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'workspace', component: () => import('./views/WorkspaceView.vue'), meta: { title: '分析工作台' } },
  { path: '/departments', name: 'departments', component: () => import('./views/DepartmentListView.vue'), meta: { title: '部门' } },
  { path: '/city', name: 'city', component: () => import('./views/CityView.vue'), meta: { title: '区县汇聚' } },
  { path: '/reporting', name: 'reporting', component: () => import('./views/ReportingView.vue'), meta: { title: '填报进度' } },
  { path: '/departments/:departmentId', name: 'department', component: () => import('./views/DepartmentView.vue'), props: true },
  { path: '/departments/:departmentId/systems/:systemId', name: 'system', component: () => import('./views/SystemView.vue'), props: true },
  {
    path: '/departments/:departmentId/systems/:systemId/resources/:resourceId',
    name: 'resource',
    component: () => import('./views/ResourceView.vue'),
    props: true,
  },
  { path: '/supervision', name: 'supervision', component: () => import('./views/SupervisionView.vue'), meta: { title: '数据督办' } },
  { path: '/points/:pointId', name: 'point', component: () => import('./views/PointView.vue'), props: true, meta: { title: '监测点' } },
  { path: '/features/:featureId', name: 'feature', component: () => import('./views/FeatureView.vue'), props: true, meta: { title: '要素' } },
  { path: '/risk-points/:featureId', name: 'risk-point', component: () => import('./views/RiskPointView.vue'), props: true, meta: { title: '风险评估' } },
  { path: '/risk', name: 'risk', component: () => import('./views/RiskView.vue'), meta: { title: '风险分级' } },
  { path: '/alarms', name: 'alarms', component: () => import('./views/AlarmsView.vue'), meta: { title: '告警中心' } },
  { path: '/analysis', name: 'analysis', component: () => import('./views/AnalysisView.vue'), meta: { title: '分析研判' } },
  // The wall screen: no chrome, its own dark canvas (kiosk link).
  { path: '/screen', name: 'screen', component: () => import('./views/ScreenView.vue'), meta: { chrome: false } },
  { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { title: '系统管理', admin: true } },
  { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignInView.vue'), meta: { title: '登录', chrome: false } },
  // What a signed-in account must do first: change an expired password, or (an administrator) enrol a second factor.
  { path: '/account-setup', name: 'account-setup', component: () => import('./views/AccountSetupView.vue'), meta: { title: '账户安全设置', chrome: false } },
  // A wall screen opens its kiosk link here and moves on to /screen with the link's filters.
  { path: '/kiosk/:token', name: 'kiosk', component: () => import('./views/KioskView.vue'), props: true, meta: { chrome: false } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue') },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (to, from) => (to.path !== from.path ? { top: 0 } : undefined),
})

installAccessGuard(router)
