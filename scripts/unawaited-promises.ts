/**
 * Finds promises the code forgets to wait for: a call whose promise is dropped, spread, tested as a
 * condition, negated, put in a template or answered as JSON. Type checks do not catch these, and a
 * function that became async (the database is asynchronous on PostgreSQL) leaves them behind.
 * A promise handled on the spot (`.catch(…)`, `.finally(…)`, `.then(…)`, or `void`) is deliberate.
 *
 *   node --import tsx scripts/unawaited-promises.ts      (prints file:line: what, and exits 1 if any)
 */
import ts from 'typescript'
import { REPO_ROOT } from '../server/config.js'

export function unawaitedPromises(root = REPO_ROOT): string[] {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json')!
  const cfg = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root)
  const program = ts.createProgram(cfg.fileNames, cfg.options)
  const checker = program.getTypeChecker()
  const isPromise = (t: ts.Type): boolean => {
    if (t.isUnion()) return t.types.some(isPromise)
    const s = t.getSymbol()
    return !!s && (s.getName() === 'Promise' || s.getName() === 'PromiseLike')
  }
  const handled = (e: ts.Expression) => ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['catch', 'finally', 'then'].includes(e.expression.name.text)
  const found: string[] = []
  const ours = new RegExp(`^${root.replace(/\/$/, '')}/(server|tests|scripts)/`)
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || !ours.test(sf.fileName)) continue
    const visit = (n: ts.Node) => {
      let bad: string | null = null
      if (ts.isExpressionStatement(n) && !ts.isAwaitExpression(n.expression) && !ts.isVoidExpression(n.expression) && !handled(n.expression)) {
        const e = n.expression
        if ((ts.isCallExpression(e) || ts.isPropertyAccessExpression(e)) && isPromise(checker.getTypeAtLocation(e))) bad = 'floating promise'
      }
      if ((ts.isSpreadAssignment(n) || ts.isSpreadElement(n)) && isPromise(checker.getTypeAtLocation(n.expression))) bad = 'spread of a promise'
      if (ts.isBinaryExpression(n) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken].includes(n.operatorToken.kind) && isPromise(checker.getTypeAtLocation(n.left))) bad = 'promise in a condition'
      if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken && isPromise(checker.getTypeAtLocation(n.operand))) bad = 'negated promise'
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'json' && n.arguments[0] && isPromise(checker.getTypeAtLocation(n.arguments[0]))) bad = 'json of a promise'
      if (ts.isTemplateSpan(n) && isPromise(checker.getTypeAtLocation(n.expression))) bad = 'promise in a template'
      if (bad) {
        const { line } = sf.getLineAndCharacterOfPosition(n.getStart())
        found.push(`${sf.fileName.slice(root.replace(/\/$/, '').length + 1)}:${line + 1}: ${bad}: ${n.getText().slice(0, 100).replace(/\s+/g, ' ')}`)
      }
      ts.forEachChild(n, visit)
    }
    visit(sf)
  }
  return found
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = unawaitedPromises()
  for (const f of found) console.log(f)
  process.exitCode = found.length ? 1 : 0
}
