import type { ExpressionSpecification } from 'maplibre-gl'
import { FEATURE_KINDS, RISK_LEVELS } from '../../server/domain/enums.js'
import type { FeatureKind, RiskLevel } from '../../server/domain/enums.js'
import { PALETTES, RISK_COLORS } from './map-theme.js'
import type { MapTheme } from './map-theme.js'

/**
 * The map's point symbols: one icon per kind (its shape), level (its colour, neutral when ungraded)
 * and theme (its outline). The style names them; the map draws each the first time a layer asks
 * for it (MapLibre's `styleimagemissing`, components/map/use-kind-icons.ts), so the embedded style
 * needs no sprite and no network.
 */

const PREFIX = 'atlas-kind'
/** The icon's box in CSS pixels at icon-size 1 (the shapes' 16 × 16 units). */
export const ICON_BOX = 16

export interface KindIconSpec {
  kind: FeatureKind
  level: RiskLevel | null
  theme: MapTheme
}

export function kindIconId(spec: KindIconSpec): string {
  return `${PREFIX}:${spec.kind}:${spec.level ?? 'none'}:${spec.theme}`
}

/** The icon a feature takes: by its `kind` and `riskLevel` properties. */
export function kindIconExpression(theme: MapTheme): ExpressionSpecification {
  return ['concat', `${PREFIX}:`, ['get', 'kind'], ':', ['coalesce', ['get', 'riskLevel'], 'none'], `:${theme}`]
}

const KINDS = new Set<string>(FEATURE_KINDS.map((k) => k.code))
const LEVELS = new Set<string>(RISK_LEVELS.map((r) => r.code))

/** The icon an id names, or null for an id that is not ours (another style's image). */
export function parseKindIconId(id: string): KindIconSpec | null {
  const [prefix, kind, level, theme, ...rest] = id.split(':')
  if (prefix !== PREFIX || rest.length || !kind || !KINDS.has(kind) || !(level === 'none' || LEVELS.has(level ?? '')) || (theme !== 'dark' && theme !== 'light')) return null
  return { kind: kind as FeatureKind, level: level === 'none' ? null : (level as RiskLevel), theme }
}

/** Fill and outline of an icon: the level's colour (neutral when ungraded) inside the theme's outline. */
export function kindIconColors(spec: Pick<KindIconSpec, 'level' | 'theme'>): { fill: string; stroke: string } {
  const p = PALETTES[spec.theme]
  return { fill: spec.level ? RISK_COLORS[spec.level] : p.ungraded, stroke: p.pointStroke }
}
