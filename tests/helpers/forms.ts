/**
 * Fixtures for the forms tests, generated here: workbooks filled the way reporters fill them, raw
 * zip files for hostile cases, and uploads through the app.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import ExcelJS from 'exceljs'

export const ANNEX3_HEADERS = ['数据资源提供方 (必填项)', '所属业务系统 (必填项)', '数据资源所属类别 (必填项)', '数据资源名称 (必填项)',
  '数据提供方式 (必填项)', '数据项名称 (必填项)', '数据类型 (必填项)', '数据长度 (必填项)', '更新周期 (必填项)']

export type CellInput = string | number | Date | null

/** An annex-3 workbook with the official header rows, the given data rows from row 5 and a footer. */
export async function annex3Workbook(rows: CellInput[][], o: { merges?: string[]; footer?: Record<string, CellInput>; trailingEmpty?: number } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('摸排表')
  ws.getCell('A1').value = '城市安全数据资源摸排表'
  ws.getCell('A2').value = '数据资源提供方'
  ws.getCell('C2').value = '数据资源信息'
  ws.getCell('F2').value = '数据项信息'
  ws.getCell('I2').value = '更新周期 (必填项)'
  ANNEX3_HEADERS.slice(0, 8).forEach((h, i) => { ws.getRow(3).getCell(i + 1).value = h })
  ws.getRow(4).getCell(1).value = '填写内容：区县部门名称 填写要求：区县部门全称'
  rows.forEach((r, i) => r.forEach((v, j) => { if (v !== null) ws.getRow(5 + i).getCell(j + 1).value = v }))
  for (const m of o.merges ?? []) ws.mergeCells(m)
  let r = 5 + rows.length + (o.trailingEmpty ?? 0)
  // Trailing rows that only carry borders, as in a template.
  for (let i = 5 + rows.length; i < r; i++) ws.getRow(i).getCell(1).border = { top: { style: 'thin' } }
  r += 1
  for (const [label, value] of Object.entries(o.footer ?? {})) {
    ws.getCell(`A${r}`).value = `${label}：`
    if (value !== null) ws.getCell(`B${r}`).value = value
    r++
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** An annex-2 workbook: one sheet per system, label / value pairs as in the official form. */
export async function annex2Workbook(systems: Record<string, CellInput>[], department?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  systems.forEach((s, i) => {
    const ws = wb.addWorksheet(`系统${i + 1}`)
    ws.getCell('A1').value = '城市安全业务系统调研表'
    let r = 2
    if (department) { ws.getCell(`A${r}`).value = '填报单位'; ws.getCell(`B${r}`).value = department; r++ }
    for (const [label, value] of Object.entries(s)) {
      ws.getCell(`A${r}`).value = label
      if (value !== null) ws.getCell(`B${r}`).value = value
      r++
    }
  })
  return Buffer.from(await wb.xlsx.writeBuffer())
}

interface ZipPart { name: string; data: Buffer; declaredSize?: number }

/** A zip written by hand, so tests can lie about sizes or carry any XML. */
export function zip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8')
    const compressed = deflateRawSync(p.data)
    const size = p.declaredSize ?? p.data.length
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8)
    local.writeUInt32LE(0, 14); local.writeUInt32LE(compressed.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(8, 10); central.writeUInt32LE(compressed.length, 20); central.writeUInt32LE(size, 24)
    central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42)
    locals.push(local, name, compressed)
    centrals.push(central, name)
    offset += 30 + name.length + compressed.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(parts.length, 8); end.writeUInt16LE(parts.length, 10)
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

/** The parts of an xlsx (a zip written by exceljs), to rebuild it with one part changed. */
export function unzip(buf: Buffer): ZipPart[] {
  const parts: ZipPart[] = []
  let eocd = buf.length - 22
  while (buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  let p = buf.readUInt32LE(eocd + 16)
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const method = buf.readUInt16LE(p + 10)
    const csize = buf.readUInt32LE(p + 20)
    const nameLength = buf.readUInt16LE(p + 28)
    const extra = buf.readUInt16LE(p + 30)
    const comment = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength)
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const raw = buf.subarray(start, start + csize)
    parts.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) })
    p += 46 + nameLength + extra + comment
  }
  return parts
}

/** Uploads a file to preview or import through the app. */
export async function upload(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, path: string, bytes: Buffer, fileName: string, fields: Record<string, string> = {}) {
  const fd = new FormData()
  fd.set('file', new File([new Uint8Array(bytes)], fileName))
  for (const [k, v] of Object.entries(fields)) fd.set(k, v)
  const res = await app.request(path, { method: 'POST', body: fd })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any }
}
