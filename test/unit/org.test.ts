// core/org: the organisation tree, the chain a share code fixes (one override per sample, to the
// nearest rated station or unit), who may manage and grant, scenes, invites, memberships, a code's
// fraud signals, attribution as a table, a sample's rewards, and override accrual settled exactly.
import {
  SHARE_CODE_ALPHABET,
  SHARE_CODE_LENGTH,
  canGrant,
  canManage,
  codeChain,
  codeFromBytes,
  codeSignalRulesSchema,
  codeSignals,
  decideAttribution,
  inviteState,
  memberTransition,
  orgFileSchema,
  overrideOwed,
  parseScene,
  pathOf,
  sampleRewards,
  shareCodeSchema,
  treeProblem,
  type CodeSample,
  type MemberEvent,
  type MemberRole,
  type MemberStatus,
  type NodeKind,
  type OrgNode,
} from 'wal-core'

type TreeNode = Pick<OrgNode, 'id' | 'kind' | 'parent'>
const n = (id: string, kind: NodeKind, parent: string | null): TreeNode => ({ id, kind, parent })

const TREE: TreeNode[] = [
  n('committee', 'committee', null),
  n('gd', 'unit', 'committee'),
  n('gd-gz', 'unit', 'gd'),
  n('gz-tianhe', 'station', 'gd-gz'),
  n('gz-tianhe-t1', 'team', 'gz-tianhe'),
  n('gd-joint', 'joint_unit', 'gd'),
]

describe('treeProblem', () => {
  test('a well-formed tree has none', () => {
    expect(treeProblem(TREE)).toBeNull()
  })

  test.each<[string, TreeNode[], RegExp]>([
    ['a duplicate id', [...TREE, n('gd', 'unit', 'committee')], /gd appears twice/],
    ['a root that is not the committee', [...TREE, n('lost', 'unit', null)], /no parent/],
    ['a missing parent', [...TREE, n('t9', 'team', 'nowhere')], /parent nowhere does not exist/],
    ['a unit under a station', [...TREE, n('u9', 'unit', 'gz-tianhe')], /cannot hang under/],
    ['a station under a team', [...TREE, n('s9', 'station', 'gz-tianhe-t1')], /cannot hang/],
    ['a committee under a unit', [...TREE, n('c2', 'committee', 'gd')], /cannot hang under/],
    ['a cycle', [...TREE, n('s1', 'station', 's2'), n('s2', 'station', 's1')], /in a cycle/],
    [
      // A node whose ancestor's parent is missing: reported, not a crash while walking up.
      'a missing parent further up',
      [n('committee', 'committee', null), n('t1', 'team', 's1'), n('s1', 'station', 'gone')],
      /parent gone does not exist/,
    ],
  ])('%s', (_name, nodes, problem) => {
    expect(treeProblem(nodes)).toMatch(problem)
  })

  test("the organisation file's schema refuses a bad tree and members of unknown nodes", () => {
    const region = { provinceCode: '440000' }
    const node = (id: string, kind: NodeKind, parent: string | null) => ({
      id,
      name: `节点${id}`,
      kind,
      parent,
      region,
    })
    const ok = orgFileSchema.safeParse({
      nodes: [node('committee', 'committee', null), node('gd', 'unit', 'committee')],
      members: [{ node: 'gd', openid: 'o-a', role: 'unit_admin', displayName: '甲' }],
    })
    expect(ok.success).toBe(true)
    expect(ok.data?.defaultOverrideRate).toBe(10)
    const badMember = orgFileSchema.safeParse({
      nodes: [node('committee', 'committee', null)],
      members: [{ node: 'gd', openid: 'o-a', role: 'unit_admin', displayName: '甲' }],
    })
    expect(badMember.success).toBe(false)
    const badRate = orgFileSchema.safeParse({
      nodes: [
        node('committee', 'committee', null),
        { ...node('gd', 'unit', 'committee'), overrideRate: 25 },
      ],
    })
    expect(badRate.success).toBe(false)
  })
})

describe('pathOf', () => {
  const parents = new Map(TREE.map((x) => [x.id, x.parent]))
  test('lists the ancestors root first, ending with the node', () => {
    expect(pathOf('gz-tianhe-t1', (id) => parents.get(id))).toEqual([
      'committee',
      'gd',
      'gd-gz',
      'gz-tianhe',
      'gz-tianhe-t1',
    ])
    expect(pathOf('committee', (id) => parents.get(id))).toEqual(['committee'])
  })
  test('throws on a cycle instead of looping', () => {
    const loop = new Map([
      ['a', 'b'],
      ['b', 'a'],
    ])
    expect(() => pathOf('a', (id) => loop.get(id))).toThrow(/cycle/)
  })
})

describe('codeChain', () => {
  type ChainNode = Parameters<typeof codeChain>[0][number]
  const node = (
    id: string,
    kind: NodeKind,
    overrideRate?: number,
    cityCode: string | null = '440100',
  ): ChainNode => ({
    id,
    kind,
    region: { provinceCode: '440000', cityCode },
    ...(overrideRate !== undefined ? { overrideRate } : {}),
  })
  const committee = node('committee', 'committee', undefined, null)
  const province = node('gd', 'unit', 10, null)
  const city = node('gd-gz', 'unit', 12)
  const station = node('gz-tianhe', 'station', 15)
  const team = node('gz-tianhe-t1', 'team')
  const subTeam = node('gz-tianhe-t1a', 'team')

  test.each<[string, ChainNode[], boolean, { to: string | null; rate: number }]>([
    [
      "a volunteer in a team: the team's station",
      [committee, province, city, station, team],
      false,
      { to: 'gz-tianhe', rate: 15 },
    ],
    [
      'a volunteer in a sub-team: still the station',
      [committee, province, city, station, team, subTeam],
      false,
      { to: 'gz-tianhe', rate: 15 },
    ],
    [
      'a volunteer directly in a station: that station',
      [committee, province, city, station],
      false,
      { to: 'gz-tianhe', rate: 15 },
    ],
    [
      "a team's own code: the station above it",
      [committee, province, city, station, team],
      true,
      { to: 'gz-tianhe', rate: 15 },
    ],
    [
      "a station's own code: the unit above it, not itself",
      [committee, province, city, station],
      true,
      { to: 'gd-gz', rate: 12 },
    ],
    [
      "a city unit's own code: the provincial unit",
      [committee, province, city],
      true,
      { to: 'gd', rate: 10 },
    ],
    [
      "the provincial unit's own code: nobody (the committee takes none)",
      [committee, province],
      true,
      { to: null, rate: 0 },
    ],
    [
      'a station without its own rate: the default',
      [committee, province, city, node('s2', 'station'), team],
      false,
      { to: 's2', rate: 10 },
    ],
    [
      'a joint unit developing a team directly',
      [committee, province, node('joint', 'joint_unit', 20), team],
      false,
      { to: 'joint', rate: 20 },
    ],
  ])('%s', (_name, path, ownerIsNode, expected) => {
    const chain = codeChain(path, ownerIsNode, 10)
    expect({ to: chain.overrideNodeId, rate: chain.overrideRate }).toEqual(expected)
  })

  test('fixes the path without the committee, and the nearest team, station, unit and region', () => {
    expect(codeChain([committee, province, city, station, team], false, 10)).toEqual({
      nodePath: ['gd', 'gd-gz', 'gz-tianhe', 'gz-tianhe-t1'],
      teamId: 'gz-tianhe-t1',
      stationId: 'gz-tianhe',
      unitId: 'gd-gz',
      provinceCode: '440000',
      cityCode: '440100',
      overrideNodeId: 'gz-tianhe',
      overrideRate: 15,
    })
    // A provincial unit's code has no city, and no team or station.
    expect(codeChain([committee, province], true, 10)).toMatchObject({
      nodePath: ['gd'],
      teamId: null,
      stationId: null,
      unitId: 'gd',
      cityCode: null,
    })
  })

  test('one override per sample: only one node of the chain is named', () => {
    const chain = codeChain([committee, province, city, station, team], false, 10)
    // Every other unit and station of the path is counted (nodePath), none gets a rate.
    expect(typeof chain.overrideNodeId).toBe('string')
    expect(chain.nodePath.filter((id) => id === chain.overrideNodeId)).toHaveLength(1)
  })
})

describe('overrideOwed', () => {
  test.each([
    [0, 0, 0],
    [99, 0, 0],
    [100, 0, 1],
    [150, 1, 0],
    [199, 1, 0],
    [200, 1, 1],
    [1500, 0, 15],
    // A review took accrual back after a settlement: the difference is negative (a reversal).
    [85, 1, -1],
    [0, 2, -2],
  ])('%i hundredths with %i settled owe %i', (accrued, settled, owed) => {
    expect(overrideOwed(accrued, settled)).toBe(owed)
  })

  test('10,000 samples at 15% settle to exactly 1,500 points however settlements interleave', () => {
    let seed = 20240717
    const random = () => {
      // mulberry32: a seeded, repeatable sequence
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    for (let run = 0; run < 20; run++) {
      let accrued = 0
      let settled = 0
      let postings = 0
      let negative = 0
      let overpaid = 0
      for (let sample = 0; sample < 10_000; sample++) {
        accrued += 15
        // Settle after a random share of samples (the timer, an admin's button, both at once).
        const settlements = random() < 0.02 * (run + 1) ? 1 + Math.floor(random() * 3) : 0
        for (let s = 0; s < settlements; s++) {
          const owed = overrideOwed(accrued, settled)
          if (owed < 0) negative++
          settled += owed
          if (owed !== 0) postings++
        }
        // Never more settled than the accrual makes.
        if (settled > Math.floor(accrued / 100)) overpaid++
      }
      settled += overrideOwed(accrued, settled)
      expect(accrued).toBe(150_000)
      expect(settled).toBe(1_500)
      expect(overrideOwed(accrued, settled)).toBe(0)
      expect(postings).toBeLessThanOrEqual(1_500)
      expect({ negative, overpaid }).toEqual({ negative: 0, overpaid: 0 })
    }
  })

  test('a reversal between settlements is taken back exactly once', () => {
    let accrued = 0
    let settled = 0
    const settle = () => {
      const owed = overrideOwed(accrued, settled)
      settled += owed
      return owed
    }
    for (let i = 0; i < 7; i++) accrued += 15 // 105 hundredths
    expect(settle()).toBe(1)
    accrued -= 15 // the committee found one invalid: 90
    expect(settle()).toBe(-1)
    expect(settle()).toBe(0)
    accrued += 15 // 105 again
    expect(settle()).toBe(1)
    expect(settled).toBe(1)
  })
})

describe('canManage and canGrant', () => {
  const STATION_A = ['committee', 'gd', 'gd-gz', 'gz-tianhe']
  const TEAM_A = [...STATION_A, 'gz-tianhe-t1']
  const STATION_B = ['committee', 'gd', 'gd-sz', 'sz-nanshan']
  const TEAM_B = [...STATION_B, 'sz-nanshan-t1']
  const roles = (entries: Array<[string, MemberRole]>) => new Map(entries)
  const stationAdminA = roles([['gz-tianhe', 'station_admin']])
  const volunteerA = roles([['gz-tianhe-t1', 'volunteer']])
  const unitAdmin = roles([['gd', 'unit_admin']])
  const leaderA = roles([['gz-tianhe-t1', 'team_leader']])

  test.each<[string, Map<string, MemberRole>, string[], boolean]>([
    ['a station admin, their station', stationAdminA, STATION_A, true],
    ['a station admin, a team under it', stationAdminA, TEAM_A, true],
    ['a station admin, another station', stationAdminA, STATION_B, false],
    ['a station admin, a team of another station', stationAdminA, TEAM_B, false],
    ['a station admin, the unit above', stationAdminA, STATION_A.slice(0, -1), false],
    ['a unit admin, every station below', unitAdmin, TEAM_B, true],
    ['a volunteer, their own team', volunteerA, TEAM_A, false],
    ['a team leader, their team', leaderA, TEAM_A, true],
    ['nobody', roles([]), TEAM_A, false],
  ])('canManage: %s → %s', (_name, memberships, path, expected) => {
    expect(canManage(memberships, path)).toBe(expected)
  })

  test.each<[string, Map<string, MemberRole>, string[], MemberRole, boolean, boolean]>([
    [
      'a station admin invites volunteers to a team of theirs',
      stationAdminA,
      TEAM_A,
      'volunteer',
      false,
      true,
    ],
    [
      'a station admin appoints a team leader below',
      stationAdminA,
      TEAM_A,
      'team_leader',
      false,
      true,
    ],
    [
      'a station admin does not appoint a second one beside them',
      stationAdminA,
      STATION_A,
      'station_admin',
      false,
      false,
    ],
    [
      'a station admin cannot act on another station',
      stationAdminA,
      TEAM_B,
      'volunteer',
      false,
      false,
    ],
    [
      'a station admin cannot grant on another station',
      stationAdminA,
      STATION_B,
      'station_admin',
      false,
      false,
    ],
    [
      'a unit admin appoints a station admin below',
      unitAdmin,
      STATION_B,
      'station_admin',
      false,
      true,
    ],
    ['a volunteer cannot grant a volunteer', volunteerA, TEAM_A, 'volunteer', false, false],
    ['a volunteer cannot grant an admin role', volunteerA, TEAM_A, 'team_leader', false, false],
    ['a team leader adds volunteers to their team', leaderA, TEAM_A, 'volunteer', false, true],
    [
      'a team leader cannot make another leader of their team',
      leaderA,
      TEAM_A,
      'team_leader',
      false,
      false,
    ],
    [
      'the committee may grant anything anywhere',
      roles([]),
      STATION_B,
      'station_admin',
      true,
      true,
    ],
  ])('canGrant: %s', (_name, memberships, path, role, committee, expected) => {
    expect(canGrant(memberships, path, role, committee)).toBe(expected)
  })
})

describe('parseScene', () => {
  test.each<[string, string | null | undefined, ReturnType<typeof parseScene>]>([
    ['a share code', 'c=ABCDEFG', { kind: 'share', code: 'ABCDEFG' }],
    ['an invite', 'i=HJKMNPQ', { kind: 'invite', code: 'HJKMNPQ' }],
    ['a bare code (printed before the prefix)', 'ABCDEFG', { kind: 'share', code: 'ABCDEFG' }],
    ['lower case', 'c=abcdefg', { kind: 'share', code: 'ABCDEFG' }],
    ['percent-encoded (a shared card query)', 'c%3DABCDEFG', { kind: 'share', code: 'ABCDEFG' }],
    ['surrounding spaces', ' c=ABCDEFG ', { kind: 'share', code: 'ABCDEFG' }],
    ['nothing', undefined, null],
    ['null', null, null],
    ['empty', '', null],
    ['another prefix', 'x=ABCDEFG', null],
    ['too short a code', 'c=ABC', null],
    ['too long a code', `c=${'A'.repeat(17)}`, null],
    ['over 32 characters', `c=ABCDEFG&${'x'.repeat(30)}`, null],
    ['bad percent-encoding', 'c=%E0%A4%A', null],
    ['a lone percent sign', '%', null],
    ['punctuation', 'c=ABC-DEF', null],
    ['two parameters', 'c=ABCDEFG&i=HJKMNPQ', null],
  ])('%s', (_name, scene, expected) => {
    expect(parseScene(scene)).toEqual(expected)
  })
})

describe('inviteState', () => {
  const NOW = Date.parse('2025-03-01T10:00:00+08:00')
  const invite: { active: boolean; expiresAt: Date | string; maxUses: number; uses: number } = {
    active: true,
    expiresAt: new Date(NOW + 60_000),
    maxUses: 5,
    uses: 0,
  }
  test.each<[string, Partial<typeof invite>, string]>([
    ['open', {}, 'open'],
    ['one use left', { uses: 4 }, 'open'],
    ['full', { uses: 5 }, 'full'],
    ['over full', { uses: 6 }, 'full'],
    ['expired', { expiresAt: new Date(NOW - 1) }, 'expired'],
    ['expiring exactly now', { expiresAt: new Date(NOW) }, 'expired'],
    ['expiry as an ISO string', { expiresAt: new Date(NOW + 1).toISOString() }, 'open'],
    ['closed, even if open otherwise', { active: false }, 'closed'],
    [
      'closed wins over expired and full',
      { active: false, uses: 9, expiresAt: new Date(0) },
      'closed',
    ],
    ['expired wins over full', { uses: 9, expiresAt: new Date(0) }, 'expired'],
  ])('%s', (_name, patch, state) => {
    expect(inviteState({ ...invite, ...patch }, NOW)).toBe(state)
  })
})

describe('memberTransition', () => {
  const FROM: Array<MemberStatus | null> = [
    null,
    'pending',
    'active',
    'rejected',
    'left',
    'removed',
  ]
  const EVENTS: MemberEvent[] = ['apply', 'approve', 'reject', 'leave', 'remove']
  // Rows: from; columns: apply, approve, reject, leave, remove ('-': refused).
  const TABLE: Record<string, string[]> = {
    null: ['pending', '-', '-', '-', '-'],
    pending: ['-', 'active', 'rejected', 'left', 'removed'],
    active: ['-', '-', '-', 'left', 'removed'],
    rejected: ['pending', '-', '-', '-', '-'],
    left: ['pending', '-', '-', '-', '-'],
    removed: ['pending', '-', '-', '-', '-'],
  }
  for (const from of FROM) {
    for (const [i, event] of EVENTS.entries()) {
      const expected = TABLE[String(from)]![i]!
      test(`${String(from)} --${event}--> ${expected}`, () => {
        expect(memberTransition(from, event)).toBe(expected === '-' ? null : expected)
      })
    }
  }

  test('an auto-approving invite makes an application active at once', () => {
    expect(memberTransition(null, 'apply', true)).toBe('active')
    expect(memberTransition('left', 'apply', true)).toBe('active')
    expect(memberTransition('active', 'apply', true)).toBeNull()
    expect(memberTransition('pending', 'apply', true)).toBeNull()
  })
})

describe('codeSignals', () => {
  const rules = codeSignalRulesSchema.parse({})
  const T0 = Date.parse('2025-03-01T10:00:00+08:00')
  const sample = (atMs: number, valid = true, paradataKey: string | null = null): CodeSample => ({
    submittedAtMs: atMs,
    valid,
    paradataKey,
  })

  test('the defaults are the ones the issue names', () => {
    expect(rules).toEqual({
      maxValidPerMinute: 20,
      maxInvalidShare: 0.5,
      minSamples: 10,
      maxSimilarParadataShare: 0.3,
    })
  })

  test('20 valid samples in a minute are no flag, 21 are', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => sample(T0 + i * 2_000))
    expect(codeSignals(twenty, { valid: 20, invalid: 0 }, rules)).toMatchObject({
      maxValidPerMinute: 20,
      flags: [],
    })
    const burst = [...twenty, sample(T0 + 59_000)]
    expect(codeSignals(burst, { valid: 21, invalid: 0 }, rules)).toMatchObject({
      maxValidPerMinute: 21,
      flags: ['velocity'],
    })
  })

  test('the same 21 spread over more than a minute, in any order, are no flag', () => {
    const spread = Array.from({ length: 21 }, (_, i) => sample(T0 + i * 3_000)).reverse()
    const s = codeSignals(spread, { valid: 21, invalid: 0 }, rules)
    expect(s.maxValidPerMinute).toBe(20)
    expect(s.flags).toEqual([])
  })

  test('invalid samples do not count towards velocity', () => {
    const burst = Array.from({ length: 30 }, (_, i) => sample(T0 + i * 1_000, i % 2 === 0))
    expect(codeSignals(burst, { valid: 15, invalid: 15 }, rules).maxValidPerMinute).toBe(15)
  })

  test.each<[string, { valid: number; invalid: number }, boolean]>([
    ['half invalid', { valid: 5, invalid: 5 }, false],
    ['more than half invalid', { valid: 4, invalid: 6 }, true],
    ['all invalid but too few to say', { valid: 0, invalid: 9 }, false],
    ['no samples', { valid: 0, invalid: 0 }, false],
  ])('invalid share: %s', (_name, totals, flagged) => {
    const s = codeSignals([], totals, rules)
    expect(s.flags.includes('invalid_share')).toBe(flagged)
  })

  test('many samples with the same paradata are flagged, distinct ones are not', () => {
    const distinct = Array.from({ length: 10 }, (_, i) => sample(T0 + i * 600_000, true, `k${i}`))
    expect(codeSignals(distinct, { valid: 10, invalid: 0 }, rules).flags).toEqual([])
    const similar = distinct.map((s, i) => ({ ...s, paradataKey: i < 4 ? 'same' : s.paradataKey }))
    const flagged = codeSignals(similar, { valid: 10, invalid: 0 }, rules)
    expect(flagged.similarParadataShare).toBeCloseTo(0.4)
    expect(flagged.flags).toEqual(['similar_paradata'])
    // Samples without paradata say nothing either way.
    const unkeyed = similar.map((s, i) => (i >= 4 ? { ...s, paradataKey: null } : s))
    expect(codeSignals(unkeyed, { valid: 10, invalid: 0 }, rules).flags).toEqual([])
  })
})

describe('decideAttribution', () => {
  const CAMPAIGN = 'demo'
  const ME = 'o-respondent'
  const code = { campaignId: CAMPAIGN, active: true, ownerOpenid: 'o-volunteer' }
  type Code = Parameters<typeof decideAttribution>[1]
  test.each<
    [string, string | null | undefined, Code, string, ReturnType<typeof decideAttribution>]
  >([
    ['no scene', undefined, null, ME, { attributed: false, reason: 'none' }],
    ['an empty scene', '', code, ME, { attributed: false, reason: 'none' }],
    ["a volunteer's code", 'c=ABCDEFG', code, ME, { attributed: true, selfReferral: false }],
    ['a bare code', 'ABCDEFG', code, ME, { attributed: true, selfReferral: false }],
    [
      'a channel code (no owner)',
      'c=ABCDEFG',
      { ...code, ownerOpenid: null },
      ME,
      { attributed: true, selfReferral: false },
    ],
    [
      'a code written before campaigns were stored on it',
      'c=ABCDEFG',
      { active: true },
      ME,
      { attributed: true, selfReferral: false },
    ],
    [
      'the volunteer through their own code',
      'c=ABCDEFG',
      code,
      'o-volunteer',
      { attributed: true, selfReferral: true },
    ],
    [
      'a paused code',
      'c=ABCDEFG',
      { ...code, active: false },
      ME,
      { attributed: false, reason: 'paused' },
    ],
    [
      'a paused code, by its own owner',
      'c=ABCDEFG',
      { ...code, active: false },
      'o-volunteer',
      { attributed: false, reason: 'paused' },
    ],
    [
      "another campaign's code",
      'c=ABCDEFG',
      { ...code, campaignId: '2024' },
      ME,
      { attributed: false, reason: 'foreign' },
    ],
    [
      "another campaign's paused code",
      'c=ABCDEFG',
      { ...code, campaignId: '2024', active: false },
      ME,
      { attributed: false, reason: 'foreign' },
    ],
    ['an unknown code', 'c=ABCDEFG', null, ME, { attributed: false, reason: 'unknown' }],
    ['an invite scene', 'i=ABCDEFG', code, ME, { attributed: false, reason: 'malformed' }],
    ['garbage', 'c=<script>', null, ME, { attributed: false, reason: 'malformed' }],
    ['bad percent-encoding', 'c=%E0%A4%A', null, ME, { attributed: false, reason: 'malformed' }],
    [
      'over 32 characters',
      `c=${'A'.repeat(40)}`,
      null,
      ME,
      { attributed: false, reason: 'malformed' },
    ],
  ])('%s', (_name, scene, doc, respondent, expected) => {
    expect(decideAttribution(scene, doc, CAMPAIGN, respondent)).toEqual(expected)
  })
})

describe('sampleRewards', () => {
  const through = {
    code: 'ABCDEFG',
    rewardAccount: 'o-volunteer',
    overrideNodeId: 'gz-tianhe',
    overrideRate: 15,
  }
  test.each<[string, Parameters<typeof sampleRewards>[0], ReturnType<typeof sampleRewards>]>([
    [
      'through a code',
      through,
      { shareRewardTo: 'o-volunteer', overrideTo: 'gz-tianhe', overrideRate: 15 },
    ],
    [
      'no code',
      { ...through, code: null },
      { shareRewardTo: null, overrideTo: null, overrideRate: 0 },
    ],
    [
      'self-referral',
      { ...through, selfReferral: true },
      { shareRewardTo: null, overrideTo: null, overrideRate: 0 },
    ],
    [
      'nobody above takes an override',
      { ...through, overrideNodeId: null },
      { shareRewardTo: 'o-volunteer', overrideTo: null, overrideRate: 0 },
    ],
    [
      'a rate of 0',
      { ...through, overrideRate: 0 },
      { shareRewardTo: 'o-volunteer', overrideTo: null, overrideRate: 0 },
    ],
    [
      'a node code (reward to the node account)',
      { ...through, rewardAccount: 'node:gz-tianhe-t1' },
      { shareRewardTo: 'node:gz-tianhe-t1', overrideTo: 'gz-tianhe', overrideRate: 15 },
    ],
    [
      'no reward account',
      { ...through, rewardAccount: null },
      { shareRewardTo: null, overrideTo: 'gz-tianhe', overrideRate: 15 },
    ],
  ])('%s', (_name, attribution, expected) => {
    expect(sampleRewards(attribution)).toEqual(expected)
  })
})

describe('share codes', () => {
  test('codeFromBytes uses the unambiguous alphabet only (no 0/O/1/I) and is stable', () => {
    expect(SHARE_CODE_ALPHABET).not.toMatch(/[0O1IL]/)
    const seen = new Set<string>()
    for (let b = 0; b < 256; b++) {
      const code = codeFromBytes(
        Array.from({ length: SHARE_CODE_LENGTH }, (_, i) => (b + i * 37) % 256),
      )
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{7}$/)
      expect(code).not.toMatch(/[0O1I]/)
      expect(shareCodeSchema.parse(code)).toBe(code)
      seen.add(code[0]!)
    }
    // Every letter of the alphabet is reachable.
    expect(seen.size).toBe(SHARE_CODE_ALPHABET.length)
    const bytes = [1, 2, 3, 4, 5, 6, 7, 8]
    expect(codeFromBytes(bytes)).toBe(codeFromBytes(bytes))
    expect(() => codeFromBytes([1, 2, 3])).toThrow(/not enough bytes/)
  })

  test('the code schema reads what people type: spaces, lower case; refuses look-alikes', () => {
    expect(shareCodeSchema.parse(' abcdefg ')).toBe('ABCDEFG')
    for (const bad of ['ABCDEF0', 'ABCDEFO', 'ABCDEF1', 'ABCDEFI', 'ABCDEF', 'ABCDEFGH'])
      expect(shareCodeSchema.safeParse(bad).success).toBe(false)
  })
})
