// Cloud function `draw`: the draw hub (chances, published odds), draws, and the caller's history.
import { drawInputs } from 'wal-core'
import { action, defineFunction } from '../../../server/define-function'
import { draw, history, hub } from '../../../server/draw'

export const main = defineFunction({
  name: 'draw',
  actions: {
    hub: action({
      input: drawInputs.hub,
      handler: (_input, ctx) => hub(ctx.openid, ctx.now),
    }),
    draw: action({
      input: drawInputs.draw,
      handler: (input, ctx) => draw(input, ctx.openid, ctx.now),
    }),
    history: action({
      input: drawInputs.history,
      handler: (input, ctx) => history(input, ctx.openid, ctx.now),
    }),
  },
})
