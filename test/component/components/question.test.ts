// The question component with every question type of the real 2024 questionnaire, rendered in
// a host component with the WXML compiler and TDesign; taps and inputs go to the native nodes.
import type { AnswerValue, Question } from 'wal-core'
import { host, type Hosted } from '../support/host'
import { textOf, until } from '../support/render'
import { questionnaire } from '../support/survey-backend'

// Ids repeat across versions (m_age differs for practitioners): the public version's come first.
const byId = new Map<string, Question>()
for (const v of questionnaire.versions) {
  for (const s of v.sections) for (const x of s.questions) if (!byId.has(x.id)) byId.set(x.id, x)
}
function q(id: string): Question {
  const found = byId.get(id)
  if (!found) throw new Error(`no question ${id}`)
  return found
}

const shown = (h: Hosted): string => textOf(h.host, '#q')
const settled = (h: Hosted, n: number) => until(h.host, () => h.answers.length >= n)

function options(h: Hosted, kind: 'radio' | 'checkbox') {
  return h.question.querySelector('.q__choices')!.querySelectorAll(`.t-${kind}-option`)
}

function tapOption(h: Hosted, kind: 'radio' | 'checkbox', index: number): void {
  options(h, kind)[index]!.querySelector(`.t-${kind}`)!.dispatchEvent('tap')
}

test('every question type of the questionnaire renders its title with the required marker', () => {
  for (const id of [
    'm_gender',
    'm_devices',
    'm_security_overall',
    'm_satisfaction_aspects',
    'region',
    'm_hours_daily',
  ]) {
    const h = host(q(id), { number: 3 })
    expect(shown(h)).toContain(`*3. ${q(id).title}`)
  }
  const optional = host(q('m_suggestion'), { number: 25 })
  expect(shown(optional)).toContain('25. 您对提升我国网络安全水平有什么意见和建议？（选填）')
  expect(shown(optional)).not.toContain('*')
})

test('single choice: a TDesign radio per option; tapping one answers with its value', async () => {
  const h = host(q('m_age'))
  expect(options(h, 'radio').map((r) => r.data.label)).toEqual([
    '18岁以下',
    '18–24岁',
    '25–34岁',
    '35–44岁',
    '45–54岁',
    '55–64岁',
    '65岁及以上',
  ])
  tapOption(h, 'radio', 3)
  await settled(h, 1)
  expect(h.answers).toEqual([{ key: 'm_age', value: 'age_35_44' }])
  await until(h.host, () => options(h, 'radio')[3]!.data.checked === true)
})

test('one answer and several answers look different: round marks for a single choice, square for a multiple choice', async () => {
  const single = host(q('m_age'))
  const multiple = host(q('m_issues_seen'))
  expect(options(single, 'radio').every((r) => r.data.icon === 'circle')).toBe(true)
  expect(options(multiple, 'checkbox').every((c) => c.data.icon === 'rectangle')).toBe(true)
  // The marks drawn before anything is chosen: TDesign's circle and rectangle outlines.
  expect(options(single, 'radio')[0]!.querySelector('.t-radio__icon-circle')).toBeDefined()
  expect(
    options(multiple, 'checkbox')[0]!.querySelector('.t-checkbox__icon-rectangle'),
  ).toBeDefined()
  expect(
    options(multiple, 'checkbox')[0]!.querySelector('.t-checkbox__icon-circle'),
  ).toBeUndefined()
  // Chosen, the square mark stays square (TDesign's check-rectangle-filled).
  tapOption(multiple, 'checkbox', 0)
  await settled(multiple, 1)
  await until(multiple.host, () => options(multiple, 'checkbox')[0]!.data.checked === true)
  const icon = options(multiple, 'checkbox')[0]!.querySelector('.t-checkbox__icon-wrapper')!
  expect(icon.data.name).toBe('check-rectangle-filled')
})

test('"其他，请注明" opens an input whose text is answered under <id>__other', async () => {
  const h = host(q('m_occupation'))
  expect(h.question.querySelector('.q__other')).toBeUndefined()
  tapOption(h, 'radio', 11)
  await until(h.host, () => h.question.querySelector('.q__other') !== undefined)
  expect(h.answers).toEqual([{ key: 'm_occupation', value: 'other' }])

  const input = h.question.querySelector('.q__other')!
  expect(input.data.placeholder).toBe('请注明具体内容')
  input.querySelector('.t-input__control')!.dispatchEvent('input', { detail: { value: '网格员' } })
  await settled(h, 2)
  expect(h.answers[1]).toEqual({ key: 'm_occupation__other', value: '网格员' })
})

test('multiple choice: "以上都没有" clears the others, and another choice clears it', async () => {
  const h = host(q('m_issues_seen'))
  tapOption(h, 'checkbox', 0)
  await settled(h, 1)
  tapOption(h, 'checkbox', 1)
  await settled(h, 2)
  expect(h.answers[1]!.value).toEqual(['spam', 'fraud'])

  tapOption(h, 'checkbox', 9) // 以上都没有
  await settled(h, 3)
  expect(h.answers[2]!.value).toEqual(['none'])
  await until(h.host, () => options(h, 'checkbox')[0]!.data.checked === false)

  tapOption(h, 'checkbox', 2)
  await settled(h, 4)
  expect(h.answers[3]!.value).toEqual(['info_leak'])
})

test('multiple choice with a limit says how many are chosen and stops at the limit', async () => {
  const h = host(q('m_priorities'), { value: ['fraud', 'rumors'] })
  expect(shown(h)).toContain('已选 2/3 项')
  tapOption(h, 'checkbox', 4)
  await settled(h, 1)
  expect(shown(h)).toContain('已选 3/3 项')
  tapOption(h, 'checkbox', 5) // a fourth: TDesign's max refuses it
  expect(h.answers).toHaveLength(1)
})

test('rating: five labelled points, worst to best; tapping one answers 1–5', async () => {
  const h = host(q('m_security_overall'))
  const points = h.question.querySelectorAll('.scale__point')
  expect(points.map((p) => p.dom!.textContent)).toEqual([
    '非常不安全',
    '不安全',
    '一般',
    '安全',
    '非常安全',
  ])
  points[3]!.dispatchEvent('tap')
  await settled(h, 1)
  expect(h.answers).toEqual([{ key: 'm_security_overall', value: 4 }])
  await until(h.host, () => h.question.data.view.points[3].selected)
  expect(h.question.querySelectorAll('.scale__point')[3]!.dom!.className).toContain(
    'scale__point--on',
  )
})

test('matrix: a row of five points per item; each tap adds to the same answer', async () => {
  const h = host(q('m_satisfaction_aspects'))
  const labels = h.question.querySelectorAll('.matrix__label')
  expect(labels.map((l) => l.dom!.textContent)).toEqual([
    '防范网络诈骗',
    '个人信息保护',
    '网络内容健康',
    '为确认您在认真阅读，本行请选择“不满意”', // the instructed-response row (docs/rules.md)
    '网络平台管理',
    '政府部门监管执法',
    '未成年人网络保护',
    '举报投诉渠道',
  ])
  // Five points per row, rows in order.
  const point = (row: number, p: number) =>
    h.question.querySelectorAll('.scale__point')[row * 5 + p - 1]!
  expect(h.question.querySelectorAll('.scale__point')).toHaveLength(40)
  point(0, 5).dispatchEvent('tap')
  await settled(h, 1)
  point(2, 2).dispatchEvent('tap')
  await settled(h, 2)
  expect(h.answers[1]).toEqual({ key: 'm_satisfaction_aspects', value: { fraud: 5, content: 2 } })
})

test('text: a TDesign textarea with a counter up to the question maxLength', async () => {
  const h = host(q('m_suggestion'))
  const area = h.question.querySelector('.q__text')!
  expect(area.data).toMatchObject({
    maxlength: 500,
    indicator: true,
    placeholder: '选填，说说您的想法',
  })
  area.querySelector('.t-textarea__wrapper-inner')!.dispatchEvent('input', {
    detail: { value: '希望多开展反诈宣传' },
  })
  await settled(h, 1)
  expect(h.answers).toEqual([{ key: 'm_suggestion', value: '希望多开展反诈宣传' }])
  await until(h.host, () => shown(h).includes('9 / 500'))
})

test('region: the native region picker gives province and city names with their codes', async () => {
  const h = host(q('region'))
  expect(shown(h)).toContain('点击选择省份和城市')
  const picker = h.question.querySelector('.region-picker')!
  picker.dispatchEvent('change', {
    detail: { value: ['广东省', '广州市'], code: ['440000', '440100'], postcode: '510000' },
  })
  await settled(h, 1)
  expect(h.answers).toEqual([
    {
      key: 'region',
      value: {
        provinceCode: '440000',
        provinceName: '广东省',
        cityCode: '440100',
        cityName: '广州市',
      },
    },
  ])
  await until(h.host, () => shown(h).includes('广东省 广州市'))
})

test('region: a stored whole region shows once for a municipality; a broken draft value shows the prompt', () => {
  const beijing = host(q('region'), {
    value: {
      provinceCode: '110000',
      provinceName: '北京市',
      cityCode: '110100',
      cityName: '北京市',
    },
  })
  expect(shown(beijing)).toContain('北京市')
  expect(shown(beijing)).not.toContain('北京市 北京市')
  // A draft kept on the phone by an older build, or cut short: never "undefined undefined".
  const broken = host(q('region'), {
    value: { provinceCode: '440000', provinceName: '广东省' } as unknown as AnswerValue,
  })
  expect(shown(broken)).toContain('点击选择省份和城市')
  expect(shown(broken)).not.toContain('undefined')
})

test('number: a TDesign number input with the unit; text becomes a number, empty clears', async () => {
  const h = host(q('m_hours_daily'))
  const input = h.question.querySelector('.q__number-input')!
  expect(input.data).toMatchObject({ type: 'number', suffix: '小时' })
  expect(shown(h)).toContain('可填 0–24 小时')
  const control = input.querySelector('.t-input__control')!
  control.dispatchEvent('input', { detail: { value: '6' } })
  await settled(h, 1)
  control.dispatchEvent('input', { detail: { value: '' } })
  await settled(h, 2)
  expect(h.answers).toEqual([
    { key: 'm_hours_daily', value: 6 },
    { key: 'm_hours_daily', value: null },
  ])
})

test('an error is shown under the question and marks it', () => {
  const h = host(q('m_gender'), { error: '此题为必答题' })
  expect(textOf(h.host, '#q')).toContain('此题为必答题')
  expect(h.question.querySelector('.q__error')).toBeDefined()
})
