/** A server's English validation messages put into Chinese by a table of patterns (each screen keeps its own table). */
export type MessageTable = readonly (readonly [RegExp, string | ((m: RegExpExecArray) => string)])[]

export const HAS_CHINESE = /[\u4e00-\u9fff]/

/** The message in Chinese: as it is when already Chinese, else by the first pattern that matches the part after "invalid <parameter>: ". */
export function translateMessage(message: string, table: MessageTable): string {
  if (HAS_CHINESE.test(message)) return message
  const text = message.replace(/^invalid [\w.]+: /, '')
  for (const [re, zh] of table) {
    const m = re.exec(text)
    if (m) return typeof zh === 'string' ? zh : zh(m)
  }
  return `填写有误（${text}）`
}
