/**
 * Takes the file a user chose in an upload input: a copy of its bytes, so that what was previewed is
 * what gets imported even if the file is saved again (in Excel, in a GIS) before the confirmation, and
 * the input cleared, so that choosing the same file again after fixing it checks it again. Answers the
 * copy, or the Chinese message to show when the file cannot be read.
 */
export async function takeChosenFile(input: HTMLInputElement, chosen: File): Promise<File | string> {
  try {
    const copy = new File([await chosen.arrayBuffer()], chosen.name, { type: chosen.type })
    input.value = ''
    return copy
  } catch {
    return `无法读取文件「${chosen.name}」`
  }
}
