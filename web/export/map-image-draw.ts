import { mapImageLayout, type MapImageParts } from './map-image.js'

/** The PNG of the map canvas with its title, legend, scale and footer. */
export async function composeMapImage(map: HTMLCanvasElement, cssWidth: number, cssHeight: number, parts: MapImageParts, font: string): Promise<Blob> {
  const scale = map.width / cssWidth
  const L = mapImageLayout(cssWidth, cssHeight, scale, parts)
  const HEADER = L.header
  const FOOTER = L.footer
  const canvas = document.createElement('canvas')
  canvas.width = L.width
  canvas.height = L.height
  const g = canvas.getContext('2d')!
  g.scale(scale, scale)
  const text = (s: string, x: number, y: number, size: number, color: string, weight = 400, align: CanvasTextAlign = 'left') => {
    g.font = `${weight} ${size}px ${font}`
    g.fillStyle = color
    g.textAlign = align
    g.textBaseline = 'middle'
    g.fillText(s, x, y)
  }
  // Title band.
  g.fillStyle = '#0b2a55'
  g.fillRect(0, 0, cssWidth, HEADER)
  text(parts.title, 16, 22, 19, '#ffffff', 700)
  text(parts.subtitle, 16, 46, 12.5, '#cfe0f5')
  // The map as drawn.
  g.drawImage(map, 0, 0, map.width, map.height, 0, HEADER, cssWidth, cssHeight)
  // Legend.
  const { x, y, w, h, row } = L.legend
  g.fillStyle = 'rgba(255, 255, 255, 0.92)'
  g.strokeStyle = 'rgba(15, 40, 80, 0.25)'
  g.beginPath()
  g.roundRect(x, y, w, h, 6)
  g.fill()
  g.stroke()
  let ry = y + 8 + row / 2
  text('风险等级（颜色）', x + 10, ry, 12, '#182434', 700)
  for (const l of parts.legend) {
    ry += row
    g.fillStyle = l.color
    g.beginPath()
    g.arc(x + 16, ry, 5, 0, Math.PI * 2)
    g.fill()
    text(l.label, x + 28, ry, 12, '#182434')
    text(l.count.toLocaleString('zh-CN'), x + w - 10, ry, 12, '#182434', 400, 'right')
  }
  ry += row
  text('图层（形状）', x + 10, ry, 12, '#182434', 700)
  for (const l of parts.layers) {
    ry += row
    if (l.path) {
      // The kind's shape, as on the map: neutral, since colour is the risk level only.
      g.save()
      g.translate(x + 10, ry - 6)
      g.scale(12 / 16, 12 / 16)
      const shape = new Path2D(l.path)
      if (l.line) {
        g.strokeStyle = '#64748b'
        g.lineWidth = 3
        g.stroke(shape)
      } else {
        g.fillStyle = '#94a3b8'
        g.strokeStyle = '#475569'
        g.lineWidth = 1.2
        g.fill(shape)
        g.stroke(shape)
      }
      g.restore()
    }
    text(l.label, x + 28, ry, 12, '#4c5d72')
    text(l.count.toLocaleString('zh-CN'), x + w - 10, ry, 12, '#4c5d72', 400, 'right')
  }
  // Scale bar, bottom right of the map.
  const bx = cssWidth - L.bar.px - 16
  const by = HEADER + cssHeight - 18
  g.fillStyle = 'rgba(255, 255, 255, 0.85)'
  g.fillRect(bx - 6, by - 16, L.bar.px + 12, 24)
  g.fillStyle = '#182434'
  g.fillRect(bx, by, L.bar.px, 3)
  g.fillRect(bx, by - 5, 1.5, 8)
  g.fillRect(bx + L.bar.px - 1.5, by - 5, 1.5, 8)
  text(L.bar.label, bx + L.bar.px / 2, by - 8, 11, '#182434', 400, 'center')
  // Footer.
  g.fillStyle = '#f1f4f9'
  g.fillRect(0, HEADER + cssHeight, cssWidth, FOOTER)
  text(parts.footer, 16, HEADER + cssHeight + FOOTER / 2, 11.5, '#4c5d72')
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('浏览器未能生成图片'))), 'image/png'))
}
