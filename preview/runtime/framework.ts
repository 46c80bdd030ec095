// The component framework of the preview: j-component over exparser (what miniprogram-simulate
// renders the component tests with), given the app's components from the build's registry the way
// simulate's `load` gives them — the same ids, templates and class prefixes.
import { components, type RegistryEntry } from 'wal-preview-registry'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const jComponent = require('j-component') as JComponent
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const exparser = require('miniprogram-exparser') as Exparser

/* eslint-disable @typescript-eslint/no-explicit-any -- exparser and j-component are untyped JS */
export interface Exparser {
  Event: {
    create(name: string, detail: unknown, options: Record<string, unknown>): unknown
    dispatchEvent(target: unknown, event: unknown): void
  }
  Element: { getMethodCaller(node: unknown): any }
  [key: string]: any
}

export interface RootComponent {
  readonly dom: HTMLElement
  readonly instance: any
  attach(parent: Element): void
  detach(): void
  triggerPageLifeTime(name: string, ...args: unknown[]): void
}

interface JComponent {
  register(definition: Record<string, unknown>): string
  behavior(definition: Record<string, unknown>): string
  create(id: string, properties?: Record<string, unknown>): RootComponent
}
/* eslint-enable @typescript-eslint/no-explicit-any */

type Gwx = (path: string) => unknown

declare global {
  interface Window {
    __walGwx: Gwx
  }
}

/** posix join + normalise, for relation keys such as '../cell/cell'. */
function joinPath(dir: string, rel: string): string {
  const parts: string[] = []
  for (const part of `${dir}/${rel}`.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return parts.join('/')
}

const byPath = new Map(components.map((c) => [c.meta.path, c.meta]))
let loading: RegistryEntry['meta'] | null = null

/** `Component(options)` as WeChat's runtime offers it: registers the component being loaded. */
function componentConstructor(options: Record<string, unknown>): void {
  const meta = loading
  if (!meta) throw new Error('Component() called outside a component file')
  loading = null // a second Component() in the same file is a mistake, as in WeChat
  const definition: Record<string, unknown> = {
    id: meta.id,
    path: `/${meta.path}`,
    template: window.__walGwx(`${meta.path}.wxml`),
    usingComponents: meta.using,
    tagName: meta.tag,
    ...options,
  }
  definition.options = { classPrefix: meta.id, ...((options.options as object) ?? {}) }
  // Relations name other components by relative path; exparser wants their ids (as in simulate).
  const relations = options.relations as Record<string, Record<string, unknown>> | undefined
  if (relations) {
    const byId: Record<string, Record<string, unknown>> = {}
    for (const [key, value] of Object.entries(relations)) {
      const target = byPath.get(joinPath(meta.path.replace(/\/[^/]*$/, ''), key))
      if (target) byId[target.id] = { ...value, target: target.id }
      else byId[key] = value
    }
    definition.relations = byId
  }
  jComponent.register(definition)
}

/** Registers every component of the registry, each after the components it uses. */
export function registerAll(): void {
  Object.assign(window, {
    Component: componentConstructor,
    Behavior: (definition: Record<string, unknown>) => jComponent.behavior(definition),
  })
  const done = new Set<string>()
  const byId = new Map(components.map((c) => [c.meta.id, c]))
  const visit = (entry: RegistryEntry): void => {
    if (done.has(entry.meta.id)) return
    done.add(entry.meta.id)
    for (const id of Object.values(entry.meta.using)) visit(byId.get(id)!)
    loading = entry.meta
    entry.load()
    if (loading) throw new Error(`${entry.meta.path} did not call Component()`)
  }
  for (const entry of components) visit(entry)
}

export const registerBuiltin = (definition: Record<string, unknown>): string =>
  jComponent.register(definition)

export const createComponent = (id: string): RootComponent => jComponent.create(id)

/** A tap on `target` (a DOM node of the page), dispatched as WeChat's tap event. */
export function dispatchTap(target: EventTarget, x: number, y: number, original: Event): void {
  const point = { pageX: x, pageY: y, clientX: x, clientY: y, identifier: 0 }
  exparser.Event.dispatchEvent(
    target,
    exparser.Event.create(
      'tap',
      { x, y },
      {
        originalEvent: original,
        bubbles: true,
        capturePhase: true,
        composed: true,
        extraFields: { touches: [], changedTouches: [point] },
      },
    ),
  )
}

export const pageMeta = (route: string) => components.find((c) => c.meta.path === route)?.meta
