import { FEATURE_KINDS, RISK_LEVELS } from '../../server/domain/enums.js'
import type { FeatureKind, RiskLevel } from '../../server/domain/enums.js'

/** Dark is the wall screen's; desktop users may choose either. */
export type MapTheme = 'dark' | 'light'

export interface MapPalette {
  background: string
  land: string
  landOutline: string
  focusFill: string
  focusOutline: string
  focusGlow: string
  grid: string
  label: string
  labelHalo: string
  focusLabel: string
  clusterText: string
  pointStroke: string
  impactFill: string
  impactOutline: string
  selection: string
  ungraded: string
  /** Ungraded lines and areas: quieter than points, which they would otherwise bury. */
  ungradedLine: string
  clusterFill: string
  clusterFillDense: string
  clusterFillDensest: string
}

export const PALETTES: Readonly<Record<MapTheme, MapPalette>> = {
  dark: {
    background: '#050b18',
    land: '#0b1930',
    landOutline: '#2a4f7a',
    focusFill: '#0f2c52',
    focusOutline: '#3ee0ff',
    focusGlow: '#1aa3ff',
    grid: '#2b6aa8',
    label: '#8fb3d9',
    labelHalo: '#050b18',
    focusLabel: '#e8f6ff',
    clusterText: '#ffffff',
    pointStroke: '#061022',
    impactFill: '#ff4d4f',
    impactOutline: '#ff7875',
    selection: '#ffffff',
    ungraded: '#b4c0d0',
    ungradedLine: '#6d829e',
    clusterFill: '#35445a',
    clusterFillDense: '#3f506a',
    clusterFillDensest: '#4a5d7a',
  },
  light: {
    background: '#e9eef4',
    land: '#f7f9fb',
    landOutline: '#9fb1c6',
    focusFill: '#e3efff',
    focusOutline: '#1f6feb',
    focusGlow: '#6aa8ff',
    grid: '#8fb1dd',
    label: '#5c6f86',
    labelHalo: '#ffffff',
    focusLabel: '#0b2a55',
    clusterText: '#ffffff',
    pointStroke: '#ffffff',
    impactFill: '#e02020',
    impactOutline: '#e02020',
    selection: '#111111',
    ungraded: '#6f7b8b',
    ungradedLine: '#97a3b3',
    clusterFill: '#6b7788',
    clusterFillDense: '#58657a',
    clusterFillDensest: '#46526a',
  },
}

/** Colours of the risk "one map" (red/orange/yellow/blue), from the domain module. */
export const RISK_COLORS: Readonly<Record<RiskLevel, string>> = Object.fromEntries(
  RISK_LEVELS.map((r) => [r.code, r.color]),
) as Record<RiskLevel, string>

/**
 * Colour means one thing on our maps: red/orange/yellow/blue are risk levels, nothing else. A feature
 * kind is told by its shape (one SVG path per kind in a 16 × 16 box, drawn as the map's icon and in the
 * legends); ungraded features and clusters take the palette's neutral colours.
 */
export type KindShape = 'circle' | 'triangle' | 'diamond' | 'square' | 'pentagon' | 'cross' | 'line'

export const KIND_SHAPES: Readonly<Record<FeatureKind, KindShape>> = {
  'risk-point': 'circle',
  'hazard-source': 'triangle',
  'monitoring-point': 'diamond',
  facility: 'square',
  pipeline: 'line',
  'protection-target': 'pentagon',
  'emergency-resource': 'cross',
}

/** The shapes as SVG paths in a 16 × 16 box (the line is stroked, the others filled). */
export const SHAPE_PATHS: Readonly<Record<KindShape, string>> = {
  circle: 'M8 2.4a5.6 5.6 0 1 1 0 11.2a5.6 5.6 0 1 1 0-11.2z',
  triangle: 'M8 1.6 14.8 13.8H1.2z',
  diamond: 'M8 1.1 14.9 8 8 14.9 1.1 8z',
  square: 'M2.6 2.6h10.8v10.8H2.6z',
  pentagon: 'M8 1.4 14.6 6.2 12.1 14.2H3.9L1.4 6.2z',
  cross: 'M5.5 1.5h5v4h4v5h-4v4h-5v-4h-4v-5h4z',
  line: 'M1.5 12.5 14.5 3.5',
}

/** Kinds in legend order, with their Chinese labels. */
export const KIND_ORDER: readonly FeatureKind[] = FEATURE_KINDS.map((k) => k.code)

/** The local CJK font used for every map label (no glyph server: drawn by the browser). */
export const MAP_FONT_FAMILY = 'Noto Sans CJK SC'
