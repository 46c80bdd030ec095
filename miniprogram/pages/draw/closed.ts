// What the draw pages (hub, nine-grid, boxes) say when the draw is not open: the draw's own words
// for before the campaign (抽奖暂未开放) and after it (本次抽奖已结束). The server's message is the
// survey's (本次调查已结束 / 调查尚未开始): under a draw title it read as a contradiction.

export const closedText = {
  notOpenTitle: '抽奖暂未开放',
  notOpenHint: '调查开始后，完成问卷即可获得抽奖机会',
  endedTitle: '本次抽奖已结束',
  endedHint: '感谢参与！已获得的积分仍可在「我的积分」中查看和使用',
}

/** The title and hint of a closed draw page, for a CAMPAIGN_CLOSED or CAMPAIGN_NOT_STARTED error. */
export function drawClosed(error: { code: string }): { closedTitle: string; message: string } {
  return error.code === 'CAMPAIGN_NOT_STARTED'
    ? { closedTitle: closedText.notOpenTitle, message: closedText.notOpenHint }
    : { closedTitle: closedText.endedTitle, message: closedText.endedHint }
}
