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
    ungraded: '#7d8ea8',
    clusterFill: '#1b5fa8',
    clusterFillDense: '#1677c9',
    clusterFillDensest: '#0f8fd8',
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
    ungraded: '#8894a6',
    clusterFill: '#5b8fd6',
    clusterFillDense: '#3a74c4',
    clusterFillDensest: '#24589e',
  },
}

/** Colours of the risk "one map" (red/orange/yellow/blue), from the domain module. */
export const RISK_COLORS: Readonly<Record<RiskLevel, string>> = Object.fromEntries(
  RISK_LEVELS.map((r) => [r.code, r.color]),
) as Record<RiskLevel, string>

/**
 * Colours of ungraded features by kind; chosen away from the four risk colours so that a
 * graded point is never mistaken for an ungraded one.
 */
export const KIND_COLORS: Readonly<Record<FeatureKind, string>> = {
  'risk-point': '#9aa7b8',
  'hazard-source': '#c084fc',
  'monitoring-point': '#22d3ee',
  facility: '#a78bfa',
  pipeline: '#2dd4bf',
  'protection-target': '#f472b6',
  'emergency-resource': '#4ade80',
}

/** Kinds in legend order, with their Chinese labels. */
export const KIND_ORDER: readonly FeatureKind[] = FEATURE_KINDS.map((k) => k.code)

/** The local CJK font used for every map label (no glyph server: drawn by the browser). */
export const MAP_FONT_FAMILY = 'Noto Sans CJK SC'
