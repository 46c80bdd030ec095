/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
interface ImportMetaEnv {
  /** The CloudBase environment id of a build for static hosting; unset: the local gateway. */
  readonly VITE_CLOUDBASE_ENV?: string
}
