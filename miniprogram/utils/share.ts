// The card a page forwards (转发): it opens home with a share code's scene, so a friend who
// answers through it is attributed as a scanned code would be — the volunteer's own code, or the
// code this person came with. An invite scene is never passed on.
import { rememberedScene } from '../services/survey'
import { inviteCodeFrom, ownShareCode } from '../services/volunteer'
import { routes } from './routes'

export const INVITE_TITLE = '邀您参加网民网络安全感满意度调查 · 安安全全共净网 满满意意享生活'

export function inviteCard(title: string = INVITE_TITLE): { title: string; path: string } {
  const own = ownShareCode()
  const scene = own ? `c=${own}` : rememberedScene()
  return {
    title,
    path: scene && !inviteCodeFrom({ scene }) ? routes.homeWithScene(scene) : routes.home,
  }
}
