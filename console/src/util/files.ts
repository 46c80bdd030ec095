// Files the console reads and hands to the user: uploads as base64 or text, downloads of a URL or
// of bytes made here (a ZIP of code images with JSZip, a table as XLSX with ExcelJS).
import JSZip from 'jszip'

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file from a temporary storage URL (local: the gateway's /storage/…; CloudBase: its CDN). */
export async function fetchBytes(url: string): Promise<Blob> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`下载失败（HTTP ${res.status}）`)
  return res.blob()
}

export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error ?? new Error('读取文件失败'))
    reader.readAsDataURL(file)
  })
}

export function fileToText(file: File): Promise<string> {
  return file.text()
}

/** The images at `files` (name → URL) in one ZIP. */
export async function zipOf(files: Array<{ name: string; url: string }>): Promise<Blob> {
  const zip = new JSZip()
  for (const f of files) zip.file(f.name, await fetchBytes(f.url))
  return zip.generateAsync({ type: 'blob' })
}

/** A one-sheet XLSX of `rows` under `header` (ExcelJS, loaded only when a table is saved). */
export async function xlsxOf(
  sheet: string,
  header: string[],
  rows: Array<Array<string | number>>,
): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs')
  const book = new ExcelJS.Workbook()
  const ws = book.addWorksheet(sheet)
  ws.addRow(header).font = { bold: true }
  for (const r of rows) ws.addRow(r)
  ws.columns.forEach((c) => (c.width = 18))
  const buffer = await book.xlsx.writeBuffer()
  return new Blob([buffer], {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  })
}
