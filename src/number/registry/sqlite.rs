//! The SQLite backend: one file, WAL, `BEGIN IMMEDIATE` transactions, a busy timeout.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{
    DocRecord, ENTRY_COLUMNS, Entry, Identity, LOCK_TIMEOUT_SECS, NewRow, ROW_COLUMNS,
    RegistryError, Result, Row, SCHEMA_VERSION, Tx,
};

/// Migrations by schema version: entry `i` takes a file from version `i` to `i + 1`.
#[cfg(test)]
pub(super) const MIGRATIONS_FOR_TESTS: [&str; 2] = MIGRATIONS;

const MIGRATIONS: [&str; 2] = [
    r#"
CREATE TABLE IF NOT EXISTS numbers (
    id INTEGER PRIMARY KEY,
    scheme TEXT NOT NULL,
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    number TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('reserved', 'committed', 'void')),
    reason TEXT,
    kind TEXT, title TEXT, doc_date TEXT, classification TEXT, issuer TEXT, output TEXT, sha256 TEXT,
    reserved_at TEXT NOT NULL,
    committed_at TEXT,
    voided_at TEXT,
    UNIQUE (scheme, prefix, year, seq),
    UNIQUE (scheme, doc_key)
);
CREATE INDEX IF NOT EXISTS numbers_by_year ON numbers (scheme, year, seq);
"#,
    // Version 2: a voided number frees its document's key (the document gets a new number);
    // records are final once committed or voided (enforced by triggers); every produced file
    // is logged.
    r#"
CREATE TABLE numbers_v2 (
    id INTEGER PRIMARY KEY,
    scheme TEXT NOT NULL,
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL CHECK (seq >= 1),
    number TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('reserved', 'committed', 'void')),
    reason TEXT,
    kind TEXT, title TEXT, doc_date TEXT, classification TEXT, issuer TEXT, output TEXT, sha256 TEXT,
    reserved_at TEXT NOT NULL,
    committed_at TEXT,
    voided_at TEXT,
    UNIQUE (scheme, prefix, year, seq)
);
INSERT INTO numbers_v2 (id, scheme, prefix, year, seq, number, doc_key, state, reason, kind, title, doc_date, classification, issuer, output, sha256, reserved_at, committed_at, voided_at)
    SELECT id, scheme, prefix, year, seq, number, doc_key, state, reason, kind, title, doc_date, classification, issuer, output, sha256, reserved_at, committed_at, voided_at FROM numbers;
DROP TABLE numbers;
ALTER TABLE numbers_v2 RENAME TO numbers;
CREATE INDEX numbers_by_year ON numbers (scheme, year, seq);
CREATE INDEX numbers_by_key ON numbers (scheme, doc_key);
CREATE UNIQUE INDEX numbers_live_key ON numbers (scheme, doc_key) WHERE state != 'void';
CREATE TABLE renders (
    id INTEGER PRIMARY KEY,
    scheme TEXT NOT NULL,
    number TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    output TEXT,
    sha256 TEXT,
    rendered_at TEXT NOT NULL
);
CREATE TRIGGER numbers_no_delete BEFORE DELETE ON numbers
BEGIN SELECT RAISE(ABORT, 'wenshu: numbers are never deleted'); END;
CREATE TRIGGER numbers_void_is_final BEFORE UPDATE ON numbers WHEN OLD.state = 'void'
BEGIN SELECT RAISE(ABORT, 'wenshu: a void number is final'); END;
CREATE TRIGGER numbers_committed_is_final BEFORE UPDATE ON numbers
WHEN OLD.state = 'committed' AND NOT (NEW.state = 'void'
    AND NEW.doc_key IS OLD.doc_key AND NEW.number IS OLD.number AND NEW.seq IS OLD.seq
    AND NEW.title IS OLD.title AND NEW.doc_date IS OLD.doc_date AND NEW.kind IS OLD.kind
    AND NEW.output IS OLD.output AND NEW.sha256 IS OLD.sha256 AND NEW.issuer IS OLD.issuer
    AND NEW.classification IS OLD.classification AND NEW.committed_at IS OLD.committed_at)
BEGIN SELECT RAISE(ABORT, 'wenshu: a committed record is final (it may only be voided)'); END;
"#,
];

fn db(location: &str) -> impl Fn(rusqlite::Error) -> RegistryError + '_ {
    move |e| {
        let busy = matches!(
            &e,
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        );
        if busy {
            RegistryError::Busy {
                location: location.to_owned(),
                secs: LOCK_TIMEOUT_SECS,
                message: e.to_string(),
            }
        } else {
            RegistryError::Db {
                location: location.to_owned(),
                message: e.to_string(),
            }
        }
    }
}

/// Opens, creating and migrating, a registry file.
pub(super) fn open(path: &Path) -> Result<Connection> {
    let location = path.display().to_string();
    let err = db(&location);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| RegistryError::Db {
            location: location.clone(),
            message: format!("无法创建目录 {}：{e}", dir.display()),
        })?;
    }
    let mut conn = Connection::open(path).map_err(&err)?;
    conn.busy_timeout(Duration::from_secs(LOCK_TIMEOUT_SECS))
        .map_err(&err)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(&err)?;
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(&err)?;
    // Most opens find the schema current: read the version without taking the write lock, so
    // opening (to list, audit or back up) never waits behind a long batch of reservations.
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(&err)?;
    if current == SCHEMA_VERSION {
        return Ok(conn);
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(&err)?;
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(&err)?;
    if version > SCHEMA_VERSION {
        return Err(RegistryError::TooNew(location.clone(), version));
    }
    for (i, m) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        tx.execute_batch(m).map_err(&err)?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(i + 1).unwrap_or(SCHEMA_VERSION),
        )
        .map_err(&err)?;
    }
    tx.commit().map_err(&err)?;
    Ok(conn)
}

/// Runs `f` inside `BEGIN IMMEDIATE`: the write lock is held before anything is read.
pub(super) fn locked<T>(
    conn: &mut Connection,
    location: &str,
    f: impl FnOnce(&mut dyn Tx) -> Result<T>,
) -> Result<T> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db(location))?;
    let mut t = SqliteTx { tx, location };
    let out = f(&mut t)?;
    t.tx.commit().map_err(db(location))?;
    Ok(out)
}

struct SqliteTx<'a> {
    tx: rusqlite::Transaction<'a>,
    location: &'a str,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: r.get(0)?,
        doc_key: r.get(1)?,
        number: r.get(2)?,
        seq: r.get(3)?,
        state: r.get(4)?,
        title: r.get(5)?,
        date: r.get(6)?,
        reason: r.get(7)?,
        voided_at: r.get(8)?,
    })
}

impl Tx for SqliteTx<'_> {
    fn live(&mut self, scheme: &str, key: &str) -> Result<Vec<Row>> {
        // Derived keys `key#n` sort between `key#` and `key$` (SQLite compares text bytewise).
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM numbers WHERE scheme = ?1 AND state != 'void' AND (doc_key = ?2 OR (doc_key >= ?2 || '#' AND doc_key < ?2 || '$')) ORDER BY id"
        );
        let mut stmt = self.tx.prepare_cached(&sql).map_err(db(self.location))?;
        let rows = stmt
            .query_map(params![scheme, key], row)
            .map_err(db(self.location))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(db(self.location))?;
        Ok(rows
            .into_iter()
            .filter(|r| super::is_key_or_derived(&r.doc_key, key))
            .collect())
    }
    fn voided(&mut self, scheme: &str, key: &str) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM numbers WHERE scheme = ?1 AND doc_key = ?2 AND state = 'void' ORDER BY id DESC LIMIT 1"
        );
        self.tx
            .query_row(&sql, params![scheme, key], row)
            .optional()
            .map_err(db(self.location))
    }
    fn holder(&mut self, scheme: &str, prefix: &str, year: i32, seq: u32) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM numbers WHERE scheme = ?1 AND prefix = ?2 AND year = ?3 AND seq = ?4"
        );
        self.tx
            .query_row(&sql, params![scheme, prefix, year, seq], row)
            .optional()
            .map_err(db(self.location))
    }
    fn by_number(&mut self, scheme: &str, number: &str) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM numbers WHERE scheme = ?1 AND number = ?2 ORDER BY id LIMIT 1"
        );
        self.tx
            .query_row(&sql, params![scheme, number], row)
            .optional()
            .map_err(db(self.location))
    }
    fn max_seq(&mut self, scheme: &str, prefix: &str, year: i32) -> Result<u32> {
        let max: Option<u32> = self
            .tx
            .query_row(
                "SELECT MAX(seq) FROM numbers WHERE scheme = ?1 AND prefix = ?2 AND year = ?3",
                params![scheme, prefix, year],
                |r| r.get(0),
            )
            .map_err(db(self.location))?;
        Ok(max.unwrap_or(0))
    }
    fn insert(&mut self, n: &NewRow<'_>, at: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO numbers (scheme, prefix, year, seq, number, doc_key, state, title, doc_date, reserved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'reserved', NULLIF(?7, ''), NULLIF(?8, ''), ?9)",
                params![n.scheme, n.prefix, n.year, n.seq, n.number, n.doc_key, n.identity.title, n.identity.date, at],
            )
            .map(|_| ())
            .map_err(db(self.location))
    }
    fn set_identity(&mut self, id: i64, identity: &Identity) -> Result<()> {
        self.tx
            .execute(
                "UPDATE numbers SET title = COALESCE(NULLIF(?2, ''), title), doc_date = COALESCE(NULLIF(?3, ''), doc_date) WHERE id = ?1 AND state = 'reserved'",
                params![id, identity.title, identity.date],
            )
            .map(|_| ())
            .map_err(db(self.location))
    }
    fn commit(&mut self, id: i64, r: &DocRecord, at: &str) -> Result<()> {
        self.tx
            .execute(
                "UPDATE numbers SET state = 'committed', committed_at = ?2,
                    kind = COALESCE(NULLIF(?3, ''), kind), title = COALESCE(NULLIF(?4, ''), title),
                    doc_date = COALESCE(NULLIF(?5, ''), doc_date), classification = COALESCE(NULLIF(?6, ''), classification),
                    issuer = COALESCE(NULLIF(?7, ''), issuer), output = COALESCE(NULLIF(?8, ''), output),
                    sha256 = COALESCE(NULLIF(?9, ''), sha256)
                 WHERE id = ?1 AND state = 'reserved'",
                params![id, at, r.kind, r.title, r.date, r.classification, r.issuer, r.output, r.sha256],
            )
            .map(|_| ())
            .map_err(db(self.location))
    }
    fn void(&mut self, id: i64, reason: &str, at: &str) -> Result<()> {
        self.tx
            .execute(
                "UPDATE numbers SET state = 'void', reason = ?2, voided_at = ?3 WHERE id = ?1 AND state != 'void'",
                params![id, reason, at],
            )
            .map(|_| ())
            .map_err(db(self.location))
    }
    fn log_render(&mut self, scheme: &str, row: &Row, r: &DocRecord, at: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO renders (scheme, number, doc_key, output, sha256, rendered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![scheme, row.number, row.doc_key, r.output, r.sha256, at],
            )
            .map(|_| ())
            .map_err(db(self.location))
    }
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let s = |i: usize| -> rusqlite::Result<String> {
        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
    };
    Ok(Entry {
        scheme: r.get(0)?,
        prefix: r.get(1)?,
        year: r.get(2)?,
        seq: r.get(3)?,
        number: r.get(4)?,
        doc_key: r.get(5)?,
        state: r.get(6)?,
        reason: r.get(7)?,
        record: DocRecord {
            kind: s(8)?,
            title: s(9)?,
            date: s(10)?,
            classification: s(11)?,
            issuer: s(12)?,
            output: s(13)?,
            sha256: s(14)?,
        },
        reserved_at: r.get(15)?,
        committed_at: r.get(16)?,
        voided_at: r.get(17)?,
    })
}

/// Every number of a scheme and year, in order.
pub(super) fn entries(
    conn: &mut Connection,
    location: &str,
    scheme: &str,
    year: Option<i32>,
) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM numbers WHERE (?1 = '' OR scheme = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY scheme, year, prefix, seq"
    );
    let mut stmt = conn.prepare(&sql).map_err(db(location))?;
    let rows = stmt
        .query_map(params![scheme, year], entry)
        .map_err(db(location))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db(location))
}

/// A consistent copy of the file (safe while others write).
pub(super) fn vacuum_into(conn: &mut Connection, location: &str, to: &Path) -> Result<()> {
    conn.execute("VACUUM INTO ?1", params![to.to_string_lossy()])
        .map(|_| ())
        .map_err(db(location))
}

/// A new registry file holding `entries` (a PostgreSQL backup).
pub(super) fn write_copy(to: &Path, entries: &[Entry]) -> Result<()> {
    let location = to.display().to_string();
    let mut conn = open(to)?;
    let tx = conn.transaction().map_err(db(&location))?;
    for e in entries {
        tx.execute(
            &format!("INSERT INTO numbers ({ENTRY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"),
            params![e.scheme, e.prefix, e.year, e.seq, e.number, e.doc_key, e.state, e.reason, e.record.kind, e.record.title, e.record.date, e.record.classification, e.record.issuer, e.record.output, e.record.sha256, e.reserved_at, e.committed_at, e.voided_at],
        )
        .map_err(db(&location))?;
    }
    tx.commit().map_err(db(&location))
}
