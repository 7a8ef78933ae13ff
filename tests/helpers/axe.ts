import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeProblem { id: string; impact: string; help: string; nodes: string[] }

/**
 * Checks the page as it is now with axe-core (WCAG 2.1 A and AA rules) and answers the serious and
 * critical violations, each with the first few elements it found them on.
 */
export async function axeProblems(page: Page): Promise<AxeProblem[]> {
  // Evaluated by the browser's debugging protocol: the page's Content-Security-Policy (script-src 'self') stays as it is.
  if (!(await page.evaluate(() => Boolean((globalThis as any).axe)))) await page.evaluate(source)
  return page.evaluate(async () => {
    const axe = (globalThis as any).axe
    const result = await axe.run((globalThis as any).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
    return (result.violations as any[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id as string, impact: v.impact as string, help: v.help as string, nodes: (v.nodes as any[]).slice(0, 5).map((n) => `${(n.target as string[]).join(' ')} — ${String(n.failureSummary ?? '').split('\n').slice(1, 2).join('')}`) }))
  })
}
