/** A server-sent-events response read frame by frame (tests of /api/events). */
export interface SseFrame { id?: string; event: string; data: any }

export class SseReader {
  private buffer = ''
  private readonly frames: SseFrame[] = []
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>
  private readonly decoder = new TextDecoder()
  /** Comment lines seen (heartbeats). */
  comments = 0

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader()
  }

  /** The next frame that `match` accepts (others before it are skipped), or an error after `timeoutMs`. */
  async next(match: (f: SseFrame) => boolean = () => true, timeoutMs = 3000): Promise<SseFrame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const i = this.frames.findIndex(match)
      if (i >= 0) return this.frames.splice(0, i + 1).at(-1)!
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; seen: ${JSON.stringify(this.frames.map((f) => f.event))}`)
      const chunk = await Promise.race([this.reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))])
      if (chunk === null) continue
      if (chunk.done) throw new Error('the stream ended')
      this.buffer += this.decoder.decode(chunk.value, { stream: true })
      let end: number
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end)
        this.buffer = this.buffer.slice(end + 2)
        const frame: Partial<SseFrame> & { lines: string[] } = { lines: [] }
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) this.comments++
          else if (line.startsWith('id: ')) frame.id = line.slice(4)
          else if (line.startsWith('event: ')) frame.event = line.slice(7)
          else if (line.startsWith('data: ')) frame.lines.push(line.slice(6))
        }
        if (frame.lines.length) this.frames.push({ id: frame.id, event: frame.event ?? 'message', data: JSON.parse(frame.lines.join('\n')) })
      }
    }
  }

  /** Frames received so far and not yet taken. */
  pending(): SseFrame[] {
    return [...this.frames]
  }

  async close(): Promise<void> {
    await this.reader.cancel().catch(() => {})
  }
}
