import type { Generated } from 'kysely'

/** The tables as Kysely sees them (snake_case rows); queries.ts maps them to domain objects. */

export interface MetaTable { key: string; value: string }
export interface DomainsTable { code: string; name: string; short_name: string; data_scope: string; sort_order: number }
export interface SubcategoriesTable { code: string; domain_code: string; name: string; sort_order: number; builtin: number }
export interface SubcategoryItemsTable { id: Generated<number>; subcategory_code: string; name: string; sort_order: number }
export interface DepartmentsTable {
  id: Generated<number>
  name: string
  short_name: string
  sort_order: number
  created_at: string
  /** Where a harvested row came from (migration 0011): its source at the city and its id there; null for local rows. */
  source_id: number | null
  remote_id: number | null
  /** The district a harvested department belongs to, and its reporting status there (JSON). */
  district_code: string | null
  reporting: string | null
}
export interface SurveyRoundsTable {
  id: Generated<number>
  title: string
  systems_deadline: string
  resources_deadline: string
  created_at: string
}
export interface SurveyRoundDepartmentsTable {
  round_id: number
  department_id: number
  no_systems: number
  systems_reported_at: string | null
  resources_reported_at: string | null
}
export interface SystemsTable {
  id: Generated<number>
  department_id: number
  name: string
  build_level: string
  builder: string
  operator: string
  deployment: string
  run_status: string
  security_level: string
  shares_data: number
  /** JSON array of sharing-mode codes */
  sharing_modes: string
  /** JSON array of network codes */
  networks: string
  reviewer: string
  filler: string
  phone: string
  filled_at: string | null
  created_at: string
  updated_at: string
  /** Where a harvested row came from (migration 0011): its source at the city and its id there; null for local rows. */
  source_id: number | null
  remote_id: number | null
}
export interface ResourcesTable {
  id: Generated<number>
  system_id: number
  department_id: number
  subcategory_code: string
  name: string
  provision_mode: string
  update_cycle: string
  subject_class: string
  purpose: string
  sharing_attribute: string
  sensitivity: string
  reviewer: string
  filler: string
  phone: string
  filled_at: string | null
  last_updated_at: string | null
  created_at: string
  updated_at: string
  /** Where a harvested row came from (migration 0011): its source at the city and its id there; null for local rows. */
  source_id: number | null
  remote_id: number | null
}
export interface DataItemsTable {
  id: Generated<number>
  resource_id: number
  name: string
  data_type: string
  length: number
  sort_order: number
  /** Where a harvested row came from (migration 0011): its source at the city and its id there; null for local rows. */
  source_id: number | null
  remote_id: number | null
}
export interface ResourceUpdatesTable {
  id: Generated<number>
  resource_id: number
  updated_at: string
  record_count: number
  source: string
  note: string
  /** Where a harvested row came from (migration 0011): its source at the city and its id there; null for local rows. */
  source_id: number | null
  remote_id: number | null
}
export interface RegionsTable {
  id: Generated<number>
  kind: 'district' | 'grid'
  code: string
  name: string
  parent_code: string | null
  focus: number
  grid_row: number | null
  grid_col: number | null
  geometry: string
  min_x: number
  min_y: number
  max_x: number
  max_y: number
}
export interface FeaturesTable {
  id: Generated<number>
  resource_id: number
  kind: string
  name: string
  geometry_type: string
  /** RFC 7946 geometry as JSON text, WGS84 lon/lat */
  geometry: string
  min_x: number
  min_y: number
  max_x: number
  max_y: number
  risk_level: string | null
  /** JSON object indicator code → score */
  indicators: string | null
  impact_radius_m: number | null
  capacity: number | null
  capacity_unit: string | null
  /** JSON object of further attributes */
  attributes: string
  district_code: string | null
  cell_id: number | null
  updated_at: string
  /** Where a harvested row came from (migration 0011): its source at the city and its id there; null for local rows. */
  source_id: number | null
  remote_id: number | null
  /** Stamped from a counter when the feature is changed in place (migration 0011). */
  revision: number | null
}
export interface FeaturesRtreeTable { id: number; min_x: number; max_x: number; min_y: number; max_y: number }
export interface FeatureTallyTable {
  resource_id: number
  kind: string
  risk_level: string
  district_code: string
  cell_id: number
  n: number
}
export type FeatureSummaryTable = Omit<FeatureTallyTable, 'cell_id'>
export interface CatalogSearchTable { rowid: number; title: string; body: string }
/** A department system's ingest API key (migration 0003): only the SHA-256 hash is stored. */
export interface ApiKeysTable {
  id: Generated<number>
  system_id: number
  prefix: string
  key_hash: string
  label: string
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}
/** R*Tree of protection targets and emergency resources for the surroundings analysis (migration 0003). */
export interface NearbyRtreeTable {
  id: number; min_x: number; max_x: number; min_y: number; max_y: number
  kind: string; resource_id: number; name: string; x: number; y: number; capacity: number | null; capacity_unit: string | null
}

export interface DataVersionsTable { name: string; version: number }
export interface SearchVersionTable { version: number }
export interface ResourceItemCountsTable { resource_id: number; n: number }
export interface TileIndexTable { name: string; version: string; data: Buffer }

/** A personal access token (migration 0006): only the SHA-256 of the token is stored. */
export interface AccessTokensTable {
  id: Generated<number>
  user_id: number
  label: string
  prefix: string
  token_hash: string
  created_at: string
  expires_at: string
  last_used_at: string | null
  revoked_at: string | null
}

/** Accounts (migration 0005); `disabled` is 0 or 1. */
export interface UsersTable {
  id: Generated<number>
  username: string
  username_key: string
  display_name: string
  role: 'leader' | 'analyst' | 'reporter' | 'admin'
  department_id: number | null
  password_hash: string
  failed_count: Generated<number>
  locked_until: string | null
  disabled: Generated<number>
  last_sign_in_at: string | null
  password_changed_at: string
  created_at: string
  updated_at: string
}
/** Departments whose restricted data a user may read besides their own (migration 0005). */
export interface UserClearancesTable {
  user_id: number
  department_id: number
}
/** Wall-screen links (migration 0005). */
export interface KioskLinksTable {
  id: Generated<number>
  label: string
  token_hash: string
  ceiling: 'public' | 'internal'
  query: Generated<string>
  created_by: number | null
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}
/** Sessions of users and of wall screens: only a keyed hash of the cookie's token (migration 0005). */
export interface SessionsTable {
  token_hash: string
  kind: 'user' | 'kiosk'
  user_id: number | null
  kiosk_id: number | null
  csrf_token: string
  created_at: string
  last_seen_at: string
  expires_at: string
  address: Generated<string>
}
export interface SettingsTable {
  key: string
  value: string
}
/** The append-only audit trail (migration 0005). */
export interface AuditLogTable {
  id: Generated<number>
  at: string
  user_id: number | null
  username: Generated<string>
  role: Generated<string>
  address: Generated<string>
  action: string
  target: Generated<string>
  result: 'success' | 'failure' | 'refused'
  detail: Generated<string>
}
/** One authenticator key per user; `enabled_at` is null until its first code (migration 0009). */
export interface UserTwoFactorTable {
  user_id: number
  secret: string
  enabled_at: string | null
  last_step: Generated<number>
  created_at: string
}
export interface RecoveryCodesTable {
  id: Generated<number>
  user_id: number
  code_hash: string
  used_at: string | null
}
/** A right password waiting for its code (migration 0009). */
export interface SignInChallengesTable {
  token_hash: string
  user_id: number
  created_at: string
  expires_at: string
  attempts: Generated<number>
  address: Generated<string>
}

/** Rate-limit windows shared by every server process (migration 0010). */
export interface RateLimitsTable {
  name: string
  key: string
  window_start: number
  count: number
}

/** A read-only token a district's administrator issues to a city atlas (migration 0011). */
export interface FederationTokensTable {
  id: Generated<number>
  label: string
  prefix: string
  token_hash: string
  ceiling: 'public' | 'internal'
  created_by: number | null
  created_at: string
  revoked_at: string | null
  last_used_at: string | null
}
/** What a city atlas harvests: a district atlas or a DCAT catalog (migration 0011). */
export interface HarvestSourcesTable {
  id: Generated<number>
  kind: 'atlas' | 'dcat'
  name: string
  url: string
  token: Generated<string>
  district_code: string | null
  district_name: string | null
  /** A DCAT source's sub-category for datasets whose themes name none of annex 1's. */
  default_subcategory: string | null
  schedule_minutes: number
  delete_threshold: number
  enabled: Generated<number>
  /** JSON: the watermarks of the last successful job. */
  state: Generated<string>
  created_by: number | null
  created_at: string
  last_attempt_at: string | null
  last_success_at: string | null
}
export interface HarvestJobsTable {
  id: Generated<number>
  source_id: number
  cause: 'schedule' | 'manual' | 'confirmed'
  status: string
  started_by: number | null
  started_at: string
  finished_at: string | null
  duration_ms: number | null
  /** JSON: the job's report. */
  report: Generated<string>
  error: string | null
}

/** A channel of a monitoring point (migration 0012); times in ms since the epoch. */
export interface SensorsTable {
  id: Generated<number>
  feature_id: number
  channel: string
  unit: string
  created_at: number
  last_value: number | null
  last_at: number | null
  /** JSON {level: since (ms)}: the levels the latest readings are beyond, since when; null when none. */
  pending: string | null
  alarm_level: string | null
  silent_since: number | null
}
export interface ReadingsTable { sensor_id: number; at: number; value: number }
export interface ReadingRollupsTable { sensor_id: number; span: 'minute' | 'hour'; bucket: number; n: number; total: number; low: number; high: number }
export interface AlarmRulesTable {
  id: Generated<number>
  kind: 'threshold' | 'silence'
  channel: string
  subcategory_code: string | null
  feature_id: number | null
  level: string
  direction: Generated<string>
  threshold: number | null
  clear_value: number | null
  min_duration_s: Generated<number>
  silence_minutes: number | null
  enabled: Generated<number>
  note: Generated<string>
  updated_by: number | null
  updated_at: string
}
export interface AlarmsTable {
  id: Generated<number>
  feature_id: number
  sensor_id: number | null
  resource_id: number
  department_id: number
  point_name: string
  x: number
  y: number
  kind: string
  channel: string
  level: string
  status: string
  value: number | null
  threshold: number | null
  unit: Generated<string>
  raised_at: string
  last_at: string
  count: Generated<number>
  recovered_at: string | null
  pushed_at: string | null
  ended_at: string | null
  /** The SLA steps escalated to the bureau, comma-separated. */
  escalated: Generated<string>
  updated_at: string
}
export interface AlarmStepsTable {
  id: Generated<number>
  alarm_id: number
  at: string
  action: string
  status: string
  user_id: number | null
  username: Generated<string>
  note: Generated<string>
}
export interface LiveEventsTable {
  id: Generated<number>
  at: string
  type: string
  resource_id: number | null
  department_id: number | null
  data: string
}

/** An assessment model of a scope ('' default, or a sub-category code), in versions (migration 0013). */
export interface RiskModelsTable {
  id: Generated<number>
  scope: string
  version: number
  kind: string
  config: string
  note: Generated<string>
  created_by: number | null
  created_at: string
}
export interface RiskAssessmentsTable {
  id: Generated<number>
  feature_id: number
  model_id: number
  inputs: string
  computed_level: string
  score: number
  likelihood: number | null
  consequence: number | null
  override_level: string | null
  override_reason: string | null
  level: string
  cause: string
  alarm_id: number | null
  assessed_by: number | null
  assessor: Generated<string>
  assessed_at: string
}

export interface Database {
  risk_models: RiskModelsTable
  risk_assessments: RiskAssessmentsTable
  sensors: SensorsTable
  readings: ReadingsTable
  reading_rollups: ReadingRollupsTable
  alarm_rules: AlarmRulesTable
  alarms: AlarmsTable
  alarm_steps: AlarmStepsTable
  live_events: LiveEventsTable
  federation_tokens: FederationTokensTable
  harvest_sources: HarvestSourcesTable
  harvest_jobs: HarvestJobsTable
  users: UsersTable
  user_clearances: UserClearancesTable
  kiosk_links: KioskLinksTable
  sessions: SessionsTable
  settings: SettingsTable
  audit_log: AuditLogTable
  user_two_factor: UserTwoFactorTable
  recovery_codes: RecoveryCodesTable
  sign_in_challenges: SignInChallengesTable
  rate_limits: RateLimitsTable
  meta: MetaTable
  domains: DomainsTable
  subcategories: SubcategoriesTable
  subcategory_items: SubcategoryItemsTable
  departments: DepartmentsTable
  survey_rounds: SurveyRoundsTable
  survey_round_departments: SurveyRoundDepartmentsTable
  systems: SystemsTable
  resources: ResourcesTable
  data_items: DataItemsTable
  resource_updates: ResourceUpdatesTable
  regions: RegionsTable
  features: FeaturesTable
  features_rtree: FeaturesRtreeTable
  feature_tally: FeatureTallyTable
  feature_summary: FeatureSummaryTable
  catalog_search: CatalogSearchTable
  api_keys: ApiKeysTable
  nearby_rtree: NearbyRtreeTable
  data_versions: DataVersionsTable
  search_version: SearchVersionTable
  resource_item_counts: ResourceItemCountsTable
  tile_index: TileIndexTable
  access_tokens: AccessTokensTable
}
