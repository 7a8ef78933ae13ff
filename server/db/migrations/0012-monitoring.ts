import { sql, type Kysely } from 'kysely'
import { isPostgres, portableDdl } from './portable.js'

// Frozen in time: this file must never import application code.

/**
 * Live monitoring and the alarm loop (SPEC §10).
 * - `sensors`: a channel (gas, pressure …) of a monitoring-point feature, registered by its first
 *   reading; with its latest value and the state of its rules: the levels it is beyond and since when
 *   (`pending`, JSON), the level it alarms at, and since when it is silent. Times of readings are
 *   milliseconds since the epoch.
 * - `readings`: raw readings, one per sensor and time (a repeated reading is the same row); kept for a
 *   configurable period. `reading_rollups`: per minute and per hour, count, sum, lowest and highest.
 * - `alarm_rules`: threshold rules per channel, optionally narrowed to a sub-category or one point, and
 *   silence rules (no reading for N minutes).
 * - `alarms` and `alarm_steps`: the closed loop, each step with who, when and a note.
 * - `live_events`: what the event stream sends (new alarms, steps), kept a day for clients that
 *   reconnect with Last-Event-ID; every server process reads it, so replicas push the same events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Ids are never given twice (as since migration 0008): events and links name alarms and rules by id.
  const auto = isPostgres(db) ? '' : ' AUTOINCREMENT'
  await portableDdl(db, `CREATE TABLE sensors (
    id INTEGER PRIMARY KEY${auto},
    feature_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    unit TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_value REAL,
    last_at INTEGER,
    pending TEXT,
    alarm_level TEXT,
    silent_since INTEGER
  )`).execute(db)
  await sql`CREATE UNIQUE INDEX sensors_point ON sensors (feature_id, channel)`.execute(db)
  // The silence sweep: sensors that are not silent yet, by channel and last reading.
  await sql`CREATE INDEX sensors_heard ON sensors (channel, last_at) WHERE silent_since IS NULL`.execute(db)

  await portableDdl(db, `CREATE TABLE readings (
    sensor_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (sensor_id, at)
  ) WITHOUT ROWID`).execute(db)
  await sql`CREATE INDEX readings_at ON readings (at)`.execute(db)
  await portableDdl(db, `CREATE TABLE reading_rollups (
    sensor_id INTEGER NOT NULL,
    span TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    total REAL NOT NULL,
    low REAL NOT NULL,
    high REAL NOT NULL,
    PRIMARY KEY (sensor_id, span, bucket)
  ) WITHOUT ROWID`).execute(db)

  await portableDdl(db, `CREATE TABLE alarm_rules (
    id INTEGER PRIMARY KEY${auto},
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    subcategory_code TEXT,
    feature_id INTEGER,
    level TEXT NOT NULL,
    direction TEXT NOT NULL DEFAULT 'above',
    threshold REAL,
    clear_value REAL,
    min_duration_s INTEGER NOT NULL DEFAULT 0,
    silence_minutes INTEGER,
    enabled INTEGER NOT NULL DEFAULT 1,
    note TEXT NOT NULL DEFAULT '',
    updated_by INTEGER,
    updated_at TEXT NOT NULL
  )`).execute(db)

  await portableDdl(db, `CREATE TABLE alarms (
    id INTEGER PRIMARY KEY${auto},
    feature_id INTEGER NOT NULL,
    sensor_id INTEGER,
    resource_id INTEGER NOT NULL,
    department_id INTEGER NOT NULL,
    point_name TEXT NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    value REAL,
    threshold REAL,
    unit TEXT NOT NULL DEFAULT '',
    raised_at TEXT NOT NULL,
    last_at TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    recovered_at TEXT,
    pushed_at TEXT,
    ended_at TEXT,
    escalated TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
  )`).execute(db)
  // At most one open alarm per point: a point alarming again joins it (whichever process raised it).
  await sql.raw(`CREATE UNIQUE INDEX alarms_open_point ON alarms (feature_id) WHERE status NOT IN ('false-alarm', 'closed')`).execute(db)
  await sql`CREATE INDEX alarms_status ON alarms (status, id)`.execute(db)
  await sql`CREATE INDEX alarms_department ON alarms (department_id, id)`.execute(db)
  await portableDdl(db, `CREATE TABLE alarm_steps (
    id INTEGER PRIMARY KEY${auto},
    alarm_id INTEGER NOT NULL REFERENCES alarms (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    user_id INTEGER,
    username TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
  )`).execute(db)
  await sql`CREATE INDEX alarm_steps_alarm ON alarm_steps (alarm_id, id)`.execute(db)

  await portableDdl(db, `CREATE TABLE live_events (
    id INTEGER PRIMARY KEY${auto},
    at TEXT NOT NULL,
    type TEXT NOT NULL,
    resource_id INTEGER,
    department_id INTEGER,
    data TEXT NOT NULL
  )`).execute(db)
  await sql`CREATE INDEX live_events_at ON live_events (at)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['live_events', 'alarm_steps', 'alarms', 'alarm_rules', 'reading_rollups', 'readings', 'sensors']) {
    await sql.raw(`DROP TABLE ${t}`).execute(db)
  }
}
