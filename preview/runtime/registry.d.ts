// The module scripts/build/preview.ts generates: every page and component of the app.
declare module 'wal-preview-registry' {
  export interface RegistryEntry {
    meta: {
      id: string
      path: string
      tag: string
      isPage: boolean
      using: Record<string, string>
      window?: Record<string, unknown>
    }
    load(): unknown
  }
  export const components: RegistryEntry[]
  export const pages: string[]
  export const appWindow: Record<string, unknown>
  export function loadApp(): unknown
}
