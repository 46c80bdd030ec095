// Cloud function `draw`: the draw hub (chances, published odds), draws, and the caller's history.
import { drawContract } from 'wal-core'
import { defineFunction } from '../../../server/define-function'
import { draw, history, hub } from '../../../server/draw'

export const main = defineFunction(drawContract, {
  hub: (_input, ctx) => hub(ctx.openid, ctx.now),
  draw: (input, ctx) => draw(input, ctx.openid, ctx.now),
  history: (input, ctx) => history(input, ctx.openid, ctx.now),
})
