// The forwarded card (转发): a friend opens home with the scene that attributes their answers —
// the volunteer's own code first, else the code this person came with, never an invite.
import { inviteCard, INVITE_TITLE } from '../../../miniprogram/utils/share'
import { installStorage, type FakeStorage } from '../support/storage'

let storage: FakeStorage
beforeEach(() => {
  storage = installStorage()
})
afterEach(() => storage.restore())

test('with nothing remembered, the card opens home', () => {
  expect(inviteCard()).toEqual({ title: INVITE_TITLE, path: '/pages/home/index' })
})

test('the code this person came with is passed on', () => {
  storage.map.set('wal.survey.scene', 'c=K7M3PQ2')
  expect(inviteCard('标题').path).toBe('/pages/home/index?scene=c%3DK7M3PQ2')
})

test("a volunteer's own code wins over the code they came with", () => {
  storage.map.set('wal.survey.scene', 'c=K7M3PQ2')
  storage.map.set('wal.volunteer.ownCode', 'ABCD234')
  expect(inviteCard().path).toBe('/pages/home/index?scene=c%3DABCD234')
})

test('an invite scene is never forwarded', () => {
  storage.map.set('wal.survey.scene', 'i=JNV2345')
  expect(inviteCard().path).toBe('/pages/home/index')
})
