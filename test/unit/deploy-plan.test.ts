// The deploy plan: declarations against what a target has, step by step — and printing it never
// shows a secret.
import { createHash } from 'node:crypto'
import { md5OfEtag } from '../../scripts/deploy-cloudbase'
import {
  changes,
  formatPlan,
  planDeploy,
  type DeclaredState,
  type ExistingState,
  type WantedFile,
  type WantedFunction,
} from '../../scripts/deploy-plan'
import { applyPlan, type DeployTarget } from '../../scripts/deploy-target'

const GEO = {
  name: 'location_2dsphere',
  unique: false,
  keys: [{ field: 'location', direction: '2dsphere' as const }],
}
const CODE = { name: 'code', unique: true, keys: [{ field: 'code', direction: 1 as const }] }
const DENY = '{"read":false,"write":false}'

const payout: WantedFunction = {
  name: 'payout',
  dir: '/x/payout',
  bundleSha256: 'a'.repeat(64),
  triggers: [{ name: 'everyMinute', type: 'timer', config: '0 */1 * * * * *' }],
  env: { WXPAY_MCHID: '1900000001', WXPAY_PRIVATE_KEY: 'SECRET-PEM-TEXT' },
  missingEnv: ['WXPAY_PUBLIC_KEY'],
}

const declared: DeclaredState = {
  collections: [
    { collection: 'pickupStores', indexes: [GEO, CODE] },
    { collection: 'roles', indexes: [] },
  ],
  rules: { pickupStores: DENY, roles: DENY },
  functions: [payout],
}

const empty: ExistingState = { collections: [], rules: {}, functions: [] }

function actionsOf(existing: ExistingState, prune = false) {
  const plan = planDeploy(declared, existing, [], { prune })
  return Object.fromEntries(plan.steps.map((s) => [`${s.kind} ${s.target}`, s.action]))
}

describe('planDeploy', () => {
  it('creates everything on an empty target', () => {
    expect(actionsOf(empty)).toEqual({
      'collection pickupStores': 'create',
      'index pickupStores.location_2dsphere': 'create',
      'index pickupStores.code': 'create',
      'collection roles': 'create',
      'rule pickupStores': 'create',
      'rule roles': 'create',
      'function payout': 'create',
      'env payout': 'create',
      'trigger payout/everyMinute': 'create',
    })
  })

  it('changes nothing on a target that already matches (rule JSON compared canonically)', () => {
    const same: ExistingState = {
      collections: [
        { name: 'pickupStores', indexes: [CODE, GEO] },
        { name: 'roles', indexes: [] },
      ],
      rules: { pickupStores: '{ "write": false, "read": false }', roles: DENY },
      functions: [
        {
          name: 'payout',
          bundleSha256: payout.bundleSha256,
          triggers: payout.triggers,
          env: { ...payout.env, WAL_BUNDLE_SHA256: payout.bundleSha256 },
        },
      ],
    }
    const plan = planDeploy(declared, same, [], { prune: false })
    expect(changes(plan)).toEqual([])
    expect(plan.steps.every((s) => s.action === 'unchanged')).toBe(true)
  })

  it('updates a changed index, bundle, env value and trigger schedule', () => {
    const drifted: ExistingState = {
      collections: [
        { name: 'pickupStores', indexes: [{ ...CODE, unique: false }, GEO] },
        { name: 'roles', indexes: [] },
      ],
      rules: { pickupStores: '{"read":true,"write":false}', roles: DENY },
      functions: [
        {
          name: 'payout',
          bundleSha256: 'b'.repeat(64),
          triggers: [{ name: 'everyMinute', type: 'timer', config: '0 */5 * * * * *' }],
          env: { WXPAY_MCHID: '1900000001', WXPAY_PRIVATE_KEY: 'OLD' },
        },
      ],
    }
    const plan = planDeploy(declared, drifted, [], { prune: false })
    expect(changes(plan).map((s) => `${s.kind} ${s.target} ${s.action}`)).toEqual([
      'index pickupStores.code update',
      'rule pickupStores update',
      'function payout update',
      'env payout update',
      'trigger payout/everyMinute update',
    ])
    const env = plan.steps.find((s) => s.kind === 'env')
    expect(env && env.kind === 'env' && env.changed).toEqual(['WXPAY_PRIVATE_KEY'])
  })

  it('removes nothing without --prune; with it, indexes, triggers and functions but never a collection', () => {
    const extra: ExistingState = {
      collections: [
        { name: 'pickupStores', indexes: [CODE, GEO, { ...CODE, name: 'old_index' }] },
        { name: 'roles', indexes: [] },
        { name: 'scratch', indexes: [] },
      ],
      rules: {},
      functions: [
        {
          name: 'payout',
          bundleSha256: payout.bundleSha256,
          triggers: [
            ...payout.triggers,
            { name: 'hourly', type: 'timer', config: '0 0 * * * * *' },
          ],
          env: payout.env,
        },
        { name: 'legacy', bundleSha256: null, triggers: [], env: {} },
      ],
    }
    const without = actionsOf(extra)
    expect(without['index pickupStores.old_index']).toBe('would-remove')
    expect(without['trigger payout/hourly']).toBe('would-remove')
    expect(without['function legacy']).toBe('would-remove')
    expect(without['collection scratch']).toBe('kept')
    expect(
      changes(planDeploy(declared, extra, [], { prune: false })).filter(
        (s) => s.action === 'remove',
      ),
    ).toEqual([])

    const pruned = actionsOf(extra, true)
    expect(pruned['index pickupStores.old_index']).toBe('remove')
    expect(pruned['trigger payout/hourly']).toBe('remove')
    expect(pruned['function legacy']).toBe('remove')
    expect(pruned['collection scratch']).toBe('kept')
  })

  it('carries the campaign documents the seed would write', () => {
    const plan = planDeploy(
      declared,
      empty,
      [
        { collection: 'campaigns', id: 'demo', action: 'create', text: '{"_id":"demo"}' },
        { collection: 'campaigns', id: 'wal-2024', action: 'unchanged', text: '{}' },
      ],
      { prune: false },
    )
    expect(plan.steps.filter((s) => s.kind === 'data').map((s) => s.action)).toEqual([
      'create',
      'unchanged',
    ])
  })
})

describe('formatPlan', () => {
  it('prints what changes and a summary, warns of missing variables, and never a value', () => {
    const text = formatPlan(planDeploy(declared, empty, [], { prune: false }), 'CloudBase env t-1')
    expect(text).toContain('Deploy plan for CloudBase env t-1')
    expect(text).toContain('+ create       pickupStores.location_2dsphere  (location 2dsphere)')
    expect(text).toContain('WXPAY_MCHID=•••• WXPAY_PRIVATE_KEY=••••')
    expect(text).toContain('Warning: payout: not set in your environment: WXPAY_PUBLIC_KEY')
    expect(text).toMatch(/Summary: 9 to create, 0 to update, 0 to remove, 0 unchanged/)
    expect(text).not.toContain('SECRET-PEM-TEXT')
    expect(text).not.toContain('1900000001')
  })
})

function file(p: string, text: string): WantedFile {
  const bytes = Buffer.from(text)
  return { path: p, md5: createHash('md5').update(bytes).digest('hex'), bytes }
}

describe('files: cloud storage and the console on static hosting', () => {
  const pdf = file('reports/summary.pdf', '%PDF placeholder')
  const cover = file('content/covers/a.svg', '<svg>a</svg>')
  const index = file('console/index.html', '<html>new</html>')
  const app = file('console/assets/index-NEW.js', 'new()')
  const withFiles: DeclaredState = {
    ...declared,
    collections: [],
    rules: {},
    functions: [],
    storage: [pdf, cover],
    hosting: { prefix: 'console/', files: [index, app] },
  }
  const fileActions = (existing: ExistingState, prune = false) => {
    const plan = planDeploy(withFiles, existing, [], { prune })
    return Object.fromEntries(
      plan.steps
        .filter((s) => s.kind === 'storage' || s.kind === 'hosting')
        .map((s) => [`${s.kind} ${s.target}`, s.action]),
    )
  }

  it('plans each file by content hash: missing → create, same md5 → unchanged, other or unknown → update', () => {
    expect(
      fileActions({
        ...empty,
        storage: [
          { path: pdf.path, md5: pdf.md5 },
          { path: cover.path, md5: null },
        ],
        hosting: [
          { path: index.path, md5: 'f'.repeat(32) },
          { path: app.path, md5: app.md5 },
        ],
      }),
    ).toEqual({
      'storage reports/summary.pdf': 'unchanged',
      'storage content/covers/a.svg': 'update',
      'hosting console/index.html': 'update',
      'hosting console/assets/index-NEW.js': 'unchanged',
    })
    expect(fileActions({ ...empty, storage: [], hosting: [] })).toEqual({
      'storage reports/summary.pdf': 'create',
      'storage content/covers/a.svg': 'create',
      'hosting console/index.html': 'create',
      'hosting console/assets/index-NEW.js': 'create',
    })
  })

  it('removes an old console file only with --prune, and nothing outside the prefix or in storage', () => {
    const existing: ExistingState = {
      ...empty,
      storage: [],
      hosting: [
        { path: index.path, md5: index.md5 },
        { path: app.path, md5: app.md5 },
        { path: 'console/assets/index-OLD.js', md5: 'e'.repeat(32) },
        { path: 'landing/index.html', md5: 'd'.repeat(32) },
      ],
    }
    expect(fileActions(existing)['hosting console/assets/index-OLD.js']).toBe('would-remove')
    expect(fileActions(existing, true)['hosting console/assets/index-OLD.js']).toBe('remove')
    expect(fileActions(existing, true)['hosting landing/index.html']).toBeUndefined()
  })

  it('warns when static hosting is not enabled, and prints files grouped with their size', () => {
    const plan = planDeploy(withFiles, { ...empty, storage: [], hosting: null }, [], {
      prune: false,
    })
    expect(plan.warnings.join('\n')).toMatch(/static hosting is not enabled/)
    const text = formatPlan(plan, 'CloudBase environment t-1')
    expect(text).toContain(
      'Cloud storage files (named by the campaign data): 2 to act on, 0 unchanged',
    )
    expect(text).toContain(
      '  + create       2 file(s), 28 B: reports/summary.pdf, content/covers/a.svg',
    )
    expect(text).toContain('Static hosting (the organiser console): 2 to act on, 0 unchanged')
    expect(text).toMatch(/Summary: 4 to create/)
  })

  it('applies storage before the documents naming it, the console last, removals only when pruned', async () => {
    const calls: string[] = []
    const target = {
      name: 'fake',
      uploadStorage: async (fs: WantedFile[]) =>
        void calls.push(`storage ${fs.map((f) => f.path)}`),
      writeDocuments: async (c: string) => void calls.push(`documents ${c}`),
      uploadHosting: async (fs: WantedFile[]) =>
        void calls.push(`hosting ${fs.map((f) => f.path)}`),
      deleteHosting: async (ps: string[]) => void calls.push(`delete ${ps}`),
    } as unknown as DeployTarget
    const existing: ExistingState = {
      ...empty,
      storage: [],
      hosting: [{ path: 'console/assets/index-OLD.js', md5: null }],
    }
    const data = [{ collection: 'storeItems', id: 'r', action: 'create' as const, text: '{}' }]
    await applyPlan(planDeploy(withFiles, existing, data, { prune: false }), target)
    expect(calls).toEqual([
      'storage reports/summary.pdf,content/covers/a.svg',
      'documents storeItems',
      'hosting console/index.html,console/assets/index-NEW.js',
    ])
    calls.length = 0
    await applyPlan(planDeploy(withFiles, existing, [], { prune: true }), target)
    expect(calls.at(-1)).toBe('delete console/assets/index-OLD.js')
  })

  it("reads an md5 from a COS ETag, not from a multipart upload's", () => {
    expect(md5OfEtag('"0CC175B9C0F1B6A831C399E269772661"')).toBe('0cc175b9c0f1b6a831c399e269772661')
    expect(md5OfEtag('"0cc175b9c0f1b6a831c399e269772661-3"')).toBeNull()
    expect(md5OfEtag(undefined)).toBeNull()
  })
})
