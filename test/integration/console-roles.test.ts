// Console (web) accounts on the volunteer and store functions, through the real gateway with
// `x-cb-uid`: the seeded committee account creates channel codes and saves a store item, the
// seeded unit admin (广州, gd-gz) works inside its subtree and meets FORBIDDEN outside it with
// nothing written, and member-only actions stay WeChat-only (server/records/caller-roles.ts).
import { getDb } from '../../server/db'
import { SEEDED_AT, useSeededGateway } from './seeded-gateway'

const clock = { now: SEEDED_AT + 3_600_000 }
const COMMITTEE = 'demo-committee'
const GZ_ADMIN = 'demo-gz-admin'

const world = useSeededGateway({ only: ['store', 'volunteer', 'wallet'], now: () => clock.now })

let seq = 0
const rid = (label: string) => `${label}-${String(++seq).padStart(6, '0')}`

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Reply = { ok: boolean; data?: any; error?: { code: string; message: string } }

async function call(fn: string, header: Record<string, string>, body: object): Promise<Reply> {
  const res = await fetch(`${world.base}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...header },
    body: JSON.stringify(body),
  })
  return (await res.json()) as Reply
}
const web = (fn: string, uid: string, body: object) => call(fn, { 'x-cb-uid': uid }, body)
const wx = (fn: string, openid: string, body: object) => call(fn, { 'x-wx-openid': openid }, body)

/** Every document of the local cloud, as text: what "nothing written" compares. */
function snapshot(): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const c of world.local.store.collectionNames())
    out.set(c, [...world.local.store.exportDocuments(c)].sort())
  return out
}

const shenzhenStore = {
  id: 'sz-futian-huaqiang',
  name: '福田华强北网安驿站',
  address: '深圳市福田区华强北路 1 号',
  location: { lng: 114.0859, lat: 22.5455 },
  hours: '周一至周日 10:00–20:00',
  phone: '0755-83330000',
  provinceCode: '440000',
  cityCode: '440300',
  recommendedBy: 'gd-sz',
}

describe('console accounts on the volunteer and store functions', () => {
  it('the committee account creates channel codes anywhere, once per requestId, and downloads them', async () => {
    const input = {
      action: 'createChannelCodes',
      nodeId: 'sz-nanshan',
      batchLabel: '南山海报',
      codes: [
        { label: '地铁站', target: 100 },
        { label: '社区', target: 50 },
      ],
      requestId: rid('codes'),
    }
    const made = await web('volunteer', COMMITTEE, input)
    expect(made.ok).toBe(true)
    expect(made.data.codes).toHaveLength(2)
    const again = await web('volunteer', COMMITTEE, input)
    expect(again.data.batchId).toBe(made.data.batchId)
    const batch = (await getDb().collection('channelBatches').doc(made.data.batchId).get())
      .data as unknown as Array<{ createdBy: string }> | { createdBy: string }
    const doc = Array.isArray(batch) ? batch[0]! : batch
    expect(doc.createdBy).toBe(`web:${COMMITTEE}`)
    const table = await web('volunteer', COMMITTEE, {
      action: 'exportChannelCodes',
      batchId: made.data.batchId,
      format: 'csv',
    })
    expect(table.ok).toBe(true)
    const image = await web('volunteer', COMMITTEE, {
      action: 'codeImage',
      code: made.data.codes[0].code,
    })
    expect(image.ok).toBe(true)
  })

  it('the committee account saves a store item with its first stock', async () => {
    const saved = await web('store', COMMITTEE, {
      action: 'saveItem',
      item: {
        id: 'sticker-pack',
        kind: 'cultural',
        title: '四宝贴纸一套',
        pricePoints: 5,
        provider: '网安联秘书处',
        stock: { 'gz-tianhe-jianshe': 8 },
      },
      requestId: rid('item'),
    })
    expect(saved.data).toEqual({ itemId: 'sticker-pack', created: true })
    const catalogue = await web('store', COMMITTEE, { action: 'catalogue' })
    expect(catalogue.data.balance).toBe(0) // a console account has no wallet
    expect(catalogue.data.items.map((i: { id: string }) => i.id)).toContain('sticker-pack')
  })

  it('a unit admin account works inside its subtree', async () => {
    const overview = await web('volunteer', GZ_ADMIN, {
      action: 'nodeOverview',
      nodeId: 'gz-tianhe',
    })
    expect(overview.data.node.id).toBe('gz-tianhe')
    const codes = await web('volunteer', GZ_ADMIN, {
      action: 'createChannelCodes',
      nodeId: 'gz-tianhe-t1',
      batchLabel: '天河校园',
      codes: [{ label: '图书馆', target: 30 }],
      requestId: rid('codes'),
    })
    expect(codes.data.codes).toHaveLength(1)
    const invite = await web('volunteer', GZ_ADMIN, {
      action: 'createInvite',
      nodeId: 'gz-tianhe',
      role: 'station_admin',
      maxUses: 1,
      expiresInDays: 7,
      autoApprove: true,
      requestId: rid('invite'),
    })
    expect(invite.ok).toBe(true)
    const restocked = await web('store', GZ_ADMIN, {
      action: 'restock',
      storeId: 'gz-tianhe-jianshe',
      itemId: 'mug-safety',
      amount: 5,
      requestId: rid('restock'),
    })
    expect(restocked.ok).toBe(true)
  })

  it('a unit admin account is FORBIDDEN outside its subtree, and nothing is written', async () => {
    const before = snapshot()
    const refused = [
      await web('volunteer', GZ_ADMIN, { action: 'nodeOverview', nodeId: 'gd-sz' }),
      await web('volunteer', GZ_ADMIN, {
        action: 'createChannelCodes',
        nodeId: 'sz-nanshan',
        batchLabel: '越界',
        codes: [{ label: 'x', target: 1 }],
        requestId: rid('codes'),
      }),
      await web('volunteer', GZ_ADMIN, {
        action: 'createInvite',
        nodeId: 'sz-nanshan',
        role: 'volunteer',
        maxUses: 5,
        expiresInDays: 7,
        autoApprove: true,
        requestId: rid('invite'),
      }),
      // An admin role on its own unit comes from the unit above only.
      await web('volunteer', GZ_ADMIN, {
        action: 'grantRole',
        nodeId: 'gd-gz',
        memberCode: 'AAAAAAAA',
        role: 'unit_admin',
        displayName: '越权',
        requestId: rid('grant'),
      }),
      await web('volunteer', GZ_ADMIN, {
        action: 'settleOverride',
        nodeId: 'gd-sz',
        requestId: rid('settle'),
      }),
      await web('store', GZ_ADMIN, {
        action: 'restock',
        storeId: 'sz-futian-huaqiang',
        itemId: 'mug-safety',
        amount: 5,
        requestId: rid('restock'),
      }),
      await web('store', GZ_ADMIN, {
        action: 'grantClerk',
        storeId: 'sz-futian-huaqiang',
        userCode: 'AAAAAAAA',
        requestId: rid('clerk'),
      }),
      await web('store', GZ_ADMIN, {
        action: 'saveStore',
        store: shenzhenStore,
        requestId: rid('store'),
      }),
      await web('store', GZ_ADMIN, {
        action: 'saveItem',
        item: {
          id: 'not-mine',
          kind: 'cultural',
          title: '单位不能上架商品',
          pricePoints: 5,
          provider: '广州',
          stock: { 'gz-tianhe-jianshe': 1 },
        },
        requestId: rid('item'),
      }),
      // Timer actions: the timer or the committee, not any signed-in account.
      await web('volunteer', GZ_ADMIN, { action: 'settleAll' }),
      await web('store', GZ_ADMIN, { action: 'expireDue' }),
    ]
    expect(refused.map((r) => r.error?.code)).toEqual(refused.map(() => 'FORBIDDEN'))
    expect(snapshot()).toEqual(before)
  })

  it('unknown accounts are refused and member actions stay WeChat-only', async () => {
    const before = snapshot()
    const stranger = await web('volunteer', 'not-a-console-user', {
      action: 'createChannelCodes',
      nodeId: 'gz-tianhe',
      batchLabel: '陌生人',
      codes: [{ label: 'x', target: 1 }],
      requestId: rid('codes'),
    })
    expect(stranger.error?.code).toBe('FORBIDDEN')
    expect((await web('volunteer', COMMITTEE, { action: 'me' })).error?.code).toBe(
      'UNAUTHENTICATED',
    )
    expect(
      (
        await web('store', COMMITTEE, {
          action: 'redeem',
          itemId: 'mug-safety',
          storeId: 'gz-tianhe-jianshe',
          requestId: rid('redeem'),
        })
      ).error?.code,
    ).toBe('UNAUTHENTICATED')
    expect(
      (
        await web('wallet', COMMITTEE, {
          action: 'grantActivityReward',
          reason: '活动',
          grants: [{ userCode: 'AAAAAAAA', amount: 1 }],
          requestId: rid('grant'),
        })
      ).error?.code,
    ).toBe('UNAUTHENTICATED')
    expect(snapshot()).toEqual(before)
    // A WeChat unit admin keeps working as before (the same resolver, the other kind).
    const wechat = await wx('volunteer', 'o-demo-unit-admin', {
      action: 'nodeOverview',
      nodeId: 'gd-sz',
    })
    expect(wechat.ok).toBe(true)
  })
})
