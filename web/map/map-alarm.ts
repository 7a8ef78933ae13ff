import type { AlarmLevel } from '../../server/domain/monitoring.js'

/** An open alarm where the map marks it. */
export interface MapAlarm {
  id: number
  featureId: number
  x: number
  y: number
  level: AlarmLevel
  pointName: string
  /** Raised (or joined) a moment ago: the marker pulses harder for a while. */
  fresh?: boolean
}
