// Every piece of text the question component shows, in one place.

/** Static text, handed to the template as `text`. */
export const text = {
  required: '必答',
  optional: '（选填）',
  otherPlaceholder: '请注明具体内容',
  regionPlaceholder: '点击选择省份和城市',
  numberPlaceholder: '请输入数字',
  textPlaceholder: '请输入',
}

export const chosenOfMax = (chosen: number, max: number): string => `已选 ${chosen}/${max} 项`

export const numberRange = (min: number, max: number, unit: string | undefined): string =>
  `可填 ${min}–${max}${unit ? ` ${unit}` : ''}`
