//! The numbering registry: every 发文字号 and form number issued once, in order, on record.
//!
//! SQLite (bundled) in one file. Every operation runs in its own `BEGIN IMMEDIATE` transaction,
//! so two processes or threads never read the same "next" sequence: the write lock is taken
//! before the read. A number is `reserved` for a document key, then `committed` when the document
//! is produced, or `void` with a reason; a voided number stays on record and is never reissued.
//! Reserving again for the same key returns the same number (idempotent re-render). A crash
//! between reserve and commit leaves a visible reservation, reported by [`Registry::audit`].

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

/// Schema version this code writes; older files are migrated on open.
const SCHEMA_VERSION: i64 = 1;

const MIGRATIONS: [&str; 1] = [r#"
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
"#];

/// Registry errors.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// SQLite failed (locked too long, disk full, corrupt file …).
    #[error("编号库 {path}：{source}")]
    Db {
        /// The registry file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// PostgreSQL failed (unreachable, refused, constraint …).
    #[error("编号库 {path}：{message}")]
    Postgres {
        /// The connection string.
        path: PathBuf,
        /// The cause.
        message: String,
    },
    /// The file was written by a newer wenshu.
    #[error("编号库 {0} 的结构版本 {1} 比本程序新，请升级 wenshu")]
    TooNew(PathBuf, i64),
    /// A number already belongs to another document.
    #[error("编号“{number}”已被“{holder}”使用（{state}），不能重复使用")]
    Taken {
        /// The number.
        number: String,
        /// The document key that holds it.
        holder: String,
        /// Its state.
        state: String,
    },
    /// No such number or key.
    #[error("编号库中没有 {0}")]
    NotFound(String),
    /// A hand-typed number would skip numbers.
    #[error("编号“{number}”跳号：{prefix}〔{year}〕下一个应为 {expected} 号")]
    OutOfSequence {
        /// The number.
        number: String,
        /// The prefix.
        prefix: String,
        /// The year.
        year: i32,
        /// The next free sequence.
        expected: u32,
    },
}

type Result<T> = std::result::Result<T, RegistryError>;

/// A number handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issued {
    /// The formatted number, e.g. `仁府办发〔2026〕3号`.
    pub number: String,
    /// Sequence within (scheme, prefix, year).
    pub seq: u32,
    /// False when the key already had this number (re-render).
    pub fresh: bool,
    /// `reserved`, `committed` or `void`.
    pub state: String,
}

/// What is recorded about a produced document.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocRecord {
    /// 文种 or form title.
    pub kind: String,
    /// Title.
    pub title: String,
    /// 成文日期 / form date.
    pub date: String,
    /// 密级.
    pub classification: String,
    /// 发文机关.
    pub issuer: String,
    /// The output file.
    pub output: String,
    /// SHA-256 of the PDF, hex.
    pub sha256: String,
}

/// One line of a register.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Scheme (`发文`, a form id …).
    pub scheme: String,
    /// Prefix (机关代字).
    pub prefix: String,
    /// Year.
    pub year: i32,
    /// Sequence.
    pub seq: u32,
    /// Formatted number.
    pub number: String,
    /// Document key.
    pub doc_key: String,
    /// State.
    pub state: String,
    /// Void reason.
    pub reason: Option<String>,
    /// What was recorded.
    pub record: DocRecord,
    /// When reserved (UTC, RFC 3339).
    pub reserved_at: String,
    /// When committed.
    pub committed_at: Option<String>,
}

/// Findings of an audit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    /// Sequences never issued below the highest one: (scheme, prefix, year, seq).
    pub gaps: Vec<(String, String, i32, u32)>,
    /// Reservations older than the limit: (number, doc_key, reserved_at).
    pub stale: Vec<(String, String, String)>,
    /// Numbers on record, by state: (reserved, committed, void).
    pub counts: (usize, usize, usize),
}

/// A registry: a SQLite file, or a PostgreSQL database shared by several machines.
pub struct Registry {
    backend: Backend,
    path: PathBuf,
}

enum Backend {
    Sqlite(Connection),
    Postgres(Box<postgres::Client>),
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Formats a number with a scheme pattern: `{prefix}`, `{year}`, `{seq}` (`{seq:03}` pads).
pub fn format_number(pattern: &str, prefix: &str, year: i32, seq: u32) -> String {
    let values = std::collections::BTreeMap::from([
        ("prefix".to_owned(), prefix.to_owned()),
        ("year".to_owned(), year.to_string()),
        ("seq".to_owned(), seq.to_string()),
    ]);
    crate::prepare::pattern::render(pattern, &values).unwrap_or_else(|_| {
        pattern
            .replace("{prefix}", prefix)
            .replace("{year}", &year.to_string())
            .replace("{seq}", &seq.to_string())
    })
}

/// What one locked transaction can ask of either database.
trait Tx {
    fn by_key(&mut self, scheme: &str, doc_key: &str) -> Result<Option<(String, u32, String)>>;
    fn holder(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
    ) -> Result<Option<(String, String)>>;
    fn max_seq(&mut self, scheme: &str, prefix: &str, year: i32) -> Result<u32>;
    fn insert(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
        number: &str,
        doc_key: &str,
    ) -> Result<()>;
}

struct SqliteTx<'a>(rusqlite::Transaction<'a>, &'a Path);
struct PgTx<'a>(postgres::Transaction<'a>, &'a Path);

fn sq(path: &Path) -> impl Fn(rusqlite::Error) -> RegistryError + '_ {
    move |source| RegistryError::Db {
        path: path.to_owned(),
        source,
    }
}

fn pg(path: &Path) -> impl Fn(postgres::Error) -> RegistryError + '_ {
    move |e| RegistryError::Postgres {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

fn to_u32(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

impl Tx for SqliteTx<'_> {
    fn by_key(&mut self, scheme: &str, doc_key: &str) -> Result<Option<(String, u32, String)>> {
        self.0
            .query_row(
                "SELECT number, seq, state FROM numbers WHERE scheme = ?1 AND doc_key = ?2",
                params![scheme, doc_key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(sq(self.1))
    }
    fn holder(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
    ) -> Result<Option<(String, String)>> {
        self.0
            .query_row("SELECT doc_key, state FROM numbers WHERE scheme = ?1 AND prefix = ?2 AND year = ?3 AND seq = ?4", params![scheme, prefix, year, seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(sq(self.1))
    }
    fn max_seq(&mut self, scheme: &str, prefix: &str, year: i32) -> Result<u32> {
        let max: Option<u32> = self
            .0
            .query_row(
                "SELECT MAX(seq) FROM numbers WHERE scheme = ?1 AND prefix = ?2 AND year = ?3",
                params![scheme, prefix, year],
                |r| r.get(0),
            )
            .map_err(sq(self.1))?;
        Ok(max.unwrap_or(0))
    }
    fn insert(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
        number: &str,
        doc_key: &str,
    ) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO numbers (scheme, prefix, year, seq, number, doc_key, state, reserved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'reserved', ?7)",
                params![scheme, prefix, year, seq, number, doc_key, now()],
            )
            .map(|_| ())
            .map_err(sq(self.1))
    }
}

impl Tx for PgTx<'_> {
    fn by_key(&mut self, scheme: &str, doc_key: &str) -> Result<Option<(String, u32, String)>> {
        let row = self
            .0
            .query_opt(
                "SELECT number, seq, state FROM wenshu_numbers WHERE scheme = $1 AND doc_key = $2",
                &[&scheme, &doc_key],
            )
            .map_err(pg(self.1))?;
        Ok(row.map(|r| (r.get(0), to_u32(r.get(1)), r.get(2))))
    }
    fn holder(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
    ) -> Result<Option<(String, String)>> {
        let row = self
            .0
            .query_opt("SELECT doc_key, state FROM wenshu_numbers WHERE scheme = $1 AND prefix = $2 AND year = $3 AND seq = $4", &[&scheme, &prefix, &year, &to_i32(seq)])
            .map_err(pg(self.1))?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }
    fn max_seq(&mut self, scheme: &str, prefix: &str, year: i32) -> Result<u32> {
        let row = self.0.query_one("SELECT MAX(seq) FROM wenshu_numbers WHERE scheme = $1 AND prefix = $2 AND year = $3", &[&scheme, &prefix, &year]).map_err(pg(self.1))?;
        Ok(row.get::<_, Option<i32>>(0).map_or(0, to_u32))
    }
    fn insert(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
        number: &str,
        doc_key: &str,
    ) -> Result<()> {
        self.0
            .execute(
                "INSERT INTO wenshu_numbers (scheme, prefix, year, seq, number, doc_key, state, reserved_at) VALUES ($1, $2, $3, $4, $5, $6, 'reserved', $7)",
                &[&scheme, &prefix, &year, &to_i32(seq), &number, &doc_key, &now()],
            )
            .map(|_| ())
            .map_err(pg(self.1))
    }
}

/// The next number for `doc_key`, or the one it holds (inside a locked transaction).
fn reserve_in(
    tx: &mut dyn Tx,
    scheme: &str,
    prefix: &str,
    year: i32,
    doc_key: &str,
    pattern: &str,
) -> Result<Issued> {
    if let Some((number, seq, state)) = tx.by_key(scheme, doc_key)? {
        return Ok(Issued {
            number,
            seq,
            fresh: false,
            state,
        });
    }
    let seq = tx.max_seq(scheme, prefix, year)? + 1;
    let number = format_number(pattern, prefix, year, seq);
    tx.insert(scheme, prefix, year, seq, &number, doc_key)?;
    Ok(Issued {
        number,
        seq,
        fresh: true,
        state: "reserved".into(),
    })
}

/// Claims a typed number (inside a locked transaction).
fn claim_in(
    tx: &mut dyn Tx,
    scheme: &str,
    prefix: &str,
    year: i32,
    seq: u32,
    doc_key: &str,
    pattern: &str,
) -> Result<Issued> {
    let number = format_number(pattern, prefix, year, seq);
    match tx.holder(scheme, prefix, year, seq)? {
        Some((key, state)) if key == doc_key => {
            return Ok(Issued {
                number,
                seq,
                fresh: false,
                state,
            });
        }
        Some((holder, state)) => {
            return Err(RegistryError::Taken {
                number,
                holder,
                state,
            });
        }
        None => {}
    }
    if let Some((other, _, _)) = tx.by_key(scheme, doc_key)? {
        return Err(RegistryError::Taken {
            number: other,
            holder: doc_key.to_owned(),
            state: "该文档已有另一个编号".into(),
        });
    }
    let expected = tx.max_seq(scheme, prefix, year)? + 1;
    if seq > expected {
        return Err(RegistryError::OutOfSequence {
            number,
            prefix: prefix.to_owned(),
            year,
            expected,
        });
    }
    tx.insert(scheme, prefix, year, seq, &number, doc_key)?;
    Ok(Issued {
        number,
        seq,
        fresh: true,
        state: "reserved".into(),
    })
}

const PG_SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS wenshu_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wenshu_numbers (
    id BIGSERIAL PRIMARY KEY,
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
INSERT INTO wenshu_meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING;
"#;

impl Registry {
    /// Opens (creating and migrating) the registry: a SQLite file path, or a
    /// `postgres://user:password@host/db` URL.
    pub fn open(path: &Path) -> Result<Self> {
        let text = path.to_string_lossy();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            let mut client = postgres::Client::connect(&text, postgres::NoTls).map_err(pg(path))?;
            // Concurrent first opens race on CREATE TABLE: serialise them.
            let mut tx = client.transaction().map_err(pg(path))?;
            tx.execute("SELECT pg_advisory_xact_lock(7061958)", &[])
                .map_err(pg(path))?;
            tx.batch_execute(PG_SCHEMA).map_err(pg(path))?;
            let v: String = tx
                .query_one(
                    "SELECT value FROM wenshu_meta WHERE key = 'schema_version'",
                    &[],
                )
                .map_err(pg(path))?
                .get(0);
            tx.commit().map_err(pg(path))?;
            let v: i64 = v.parse().unwrap_or(0);
            if v > SCHEMA_VERSION {
                return Err(RegistryError::TooNew(path.to_owned(), v));
            }
            return Ok(Self {
                backend: Backend::Postgres(Box::new(client)),
                path: path.to_owned(),
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        let db = sq(path);
        let mut conn = Connection::open(path).map_err(&db)?;
        conn.busy_timeout(Duration::from_secs(60)).map_err(&db)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(&db)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(&db)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&db)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(&db)?;
        if version > SCHEMA_VERSION {
            return Err(RegistryError::TooNew(path.to_owned(), version));
        }
        for (i, m) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            tx.execute_batch(m).map_err(&db)?;
            tx.pragma_update(
                None,
                "user_version",
                i64::try_from(i + 1).unwrap_or(SCHEMA_VERSION),
            )
            .map_err(&db)?;
        }
        tx.commit().map_err(&db)?;
        Ok(Self {
            backend: Backend::Sqlite(conn),
            path: path.to_owned(),
        })
    }

    /// Runs `f` in a transaction that holds the write lock before it reads: SQLite's
    /// `BEGIN IMMEDIATE`, PostgreSQL's table lock in EXCLUSIVE mode (readers are not blocked).
    fn locked<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        match &mut self.backend {
            Backend::Sqlite(conn) => {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(sq(&path))?;
                let mut t = SqliteTx(tx, &path);
                let out = f(&mut t)?;
                t.0.commit().map_err(sq(&path))?;
                Ok(out)
            }
            Backend::Postgres(client) => {
                let mut tx = client.transaction().map_err(pg(&path))?;
                tx.batch_execute("LOCK TABLE wenshu_numbers IN EXCLUSIVE MODE")
                    .map_err(pg(&path))?;
                let mut t = PgTx(tx, &path);
                let out = f(&mut t)?;
                t.0.commit().map_err(pg(&path))?;
                Ok(out)
            }
        }
    }

    /// The next number of (scheme, prefix, year) for `doc_key`, or the one it already holds.
    pub fn reserve(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        doc_key: &str,
        pattern: &str,
    ) -> Result<Issued> {
        self.locked(|tx| reserve_in(tx, scheme, prefix, year, doc_key, pattern))
    }

    /// Claims a hand-typed number for `doc_key`: refused if another document holds it or if it
    /// would skip numbers; idempotent for the same key.
    pub fn claim(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
        doc_key: &str,
        pattern: &str,
    ) -> Result<Issued> {
        self.locked(|tx| claim_in(tx, scheme, prefix, year, seq, doc_key, pattern))
    }

    /// Marks the number of `doc_key` as used by a produced document and records it.
    pub fn commit(&mut self, scheme: &str, doc_key: &str, record: &DocRecord) -> Result<()> {
        let path = self.path.clone();
        let n = match &mut self.backend {
            Backend::Sqlite(c) => c
                .execute(
                    "UPDATE numbers SET state = 'committed', committed_at = ?3, kind = ?4, title = ?5, doc_date = ?6, classification = ?7, issuer = ?8, output = ?9, sha256 = ?10
                     WHERE scheme = ?1 AND doc_key = ?2 AND state != 'void'",
                    params![scheme, doc_key, now(), record.kind, record.title, record.date, record.classification, record.issuer, record.output, record.sha256],
                )
                .map_err(sq(&path))? as u64,
            Backend::Postgres(c) => c
                .execute(
                    "UPDATE wenshu_numbers SET state = 'committed', committed_at = $3, kind = $4, title = $5, doc_date = $6, classification = $7, issuer = $8, output = $9, sha256 = $10
                     WHERE scheme = $1 AND doc_key = $2 AND state != 'void'",
                    &[&scheme, &doc_key, &now(), &record.kind, &record.title, &record.date, &record.classification, &record.issuer, &record.output, &record.sha256],
                )
                .map_err(pg(&path))?,
        };
        if n == 0 {
            Err(RegistryError::NotFound(format!(
                "{scheme}:{doc_key}（未预留或已作废）"
            )))
        } else {
            Ok(())
        }
    }

    /// Voids a number (by its text): it stays on record as 作废 and is never reissued.
    pub fn void(&mut self, scheme: &str, number: &str, reason: &str) -> Result<()> {
        let path = self.path.clone();
        let n = match &mut self.backend {
            Backend::Sqlite(c) => c
                .execute("UPDATE numbers SET state = 'void', reason = ?3, voided_at = ?4 WHERE scheme = ?1 AND number = ?2", params![scheme, number, reason, now()])
                .map_err(sq(&path))? as u64,
            Backend::Postgres(c) => c
                .execute("UPDATE wenshu_numbers SET state = 'void', reason = $3, voided_at = $4 WHERE scheme = $1 AND number = $2", &[&scheme, &number, &reason, &now()])
                .map_err(pg(&path))?,
        };
        if n == 0 {
            Err(RegistryError::NotFound(number.to_owned()))
        } else {
            Ok(())
        }
    }

    /// Every number of a scheme (all schemes when empty) and year (all when `None`), in order.
    pub fn entries(&mut self, scheme: &str, year: Option<i32>) -> Result<Vec<Entry>> {
        const COLS: &str = "scheme, prefix, year, seq, number, doc_key, state, reason, kind, title, doc_date, classification, issuer, output, sha256, reserved_at, committed_at";
        let path = self.path.clone();
        match &mut self.backend {
            Backend::Sqlite(c) => {
                let sql = format!(
                    "SELECT {COLS} FROM numbers WHERE (?1 = '' OR scheme = ?1) AND (?2 IS NULL OR year = ?2) ORDER BY scheme, year, prefix, seq"
                );
                let mut stmt = c.prepare(&sql).map_err(sq(&path))?;
                let rows = stmt
                    .query_map(params![scheme, year], |r| {
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
                        })
                    })
                    .map_err(sq(&path))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()
                    .map_err(sq(&path))
            }
            Backend::Postgres(c) => {
                let sql = format!(
                    "SELECT {COLS} FROM wenshu_numbers WHERE ($1 = '' OR scheme = $1) AND ($2::INTEGER IS NULL OR year = $2) ORDER BY scheme, year, prefix, seq"
                );
                let rows = c.query(&sql, &[&scheme, &year]).map_err(pg(&path))?;
                Ok(rows
                    .iter()
                    .map(|r| {
                        let s = |i: usize| r.get::<_, Option<String>>(i).unwrap_or_default();
                        Entry {
                            scheme: r.get(0),
                            prefix: r.get(1),
                            year: r.get(2),
                            seq: to_u32(r.get(3)),
                            number: r.get(4),
                            doc_key: r.get(5),
                            state: r.get(6),
                            reason: r.get(7),
                            record: DocRecord {
                                kind: s(8),
                                title: s(9),
                                date: s(10),
                                classification: s(11),
                                issuer: s(12),
                                output: s(13),
                                sha256: s(14),
                            },
                            reserved_at: r.get(15),
                            committed_at: r.get(16),
                        }
                    })
                    .collect())
            }
        }
    }

    /// Gaps and reservations older than `max_age_days`.
    pub fn audit(&mut self, max_age_days: i64) -> Result<Audit> {
        let entries = self.entries("", None)?;
        let mut audit = Audit::default();
        let cutoff = chrono::Utc::now() - chrono::Duration::days(max_age_days);
        let mut i = 0;
        while i < entries.len() {
            let e = &entries[i];
            let group: Vec<&Entry> = entries[i..]
                .iter()
                .take_while(|x| x.scheme == e.scheme && x.prefix == e.prefix && x.year == e.year)
                .collect();
            let max = group.iter().map(|x| x.seq).max().unwrap_or(0);
            for seq in 1..=max {
                if !group.iter().any(|x| x.seq == seq) {
                    audit
                        .gaps
                        .push((e.scheme.clone(), e.prefix.clone(), e.year, seq));
                }
            }
            i += group.len();
        }
        for e in &entries {
            match e.state.as_str() {
                "reserved" => {
                    audit.counts.0 += 1;
                    if chrono::DateTime::parse_from_rfc3339(&e.reserved_at)
                        .is_ok_and(|t| t < cutoff)
                    {
                        audit.stale.push((
                            e.number.clone(),
                            e.doc_key.clone(),
                            e.reserved_at.clone(),
                        ));
                    }
                }
                "committed" => audit.counts.1 += 1,
                _ => audit.counts.2 += 1,
            }
        }
        Ok(audit)
    }

    /// A consistent copy as a SQLite registry file: `VACUUM INTO` for SQLite (safe while others
    /// write); for PostgreSQL, every row in one snapshot.
    pub fn backup(&mut self, to: &Path) -> Result<()> {
        if to.exists() {
            let _ = std::fs::remove_file(to);
        }
        let path = self.path.clone();
        if let Backend::Sqlite(c) = &self.backend {
            c.execute("VACUUM INTO ?1", params![to.to_string_lossy()])
                .map_err(sq(&path))?;
            return Ok(());
        }
        let entries = self.entries("", None)?;
        let copy = Registry::open(to)?;
        let Backend::Sqlite(mut conn) = copy.backend else {
            return Ok(());
        };
        let tx = conn.transaction().map_err(sq(to))?;
        for e in entries {
            tx.execute(
                "INSERT INTO numbers (scheme, prefix, year, seq, number, doc_key, state, reason, kind, title, doc_date, classification, issuer, output, sha256, reserved_at, committed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![e.scheme, e.prefix, e.year, e.seq, e.number, e.doc_key, e.state, e.reason, e.record.kind, e.record.title, e.record.date, e.record.classification, e.record.issuer, e.record.output, e.record.sha256, e.reserved_at, e.committed_at],
            )
            .map_err(sq(to))?;
        }
        tx.commit().map_err(sq(to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "{prefix}〔{year}〕{seq}号";

    #[test]
    fn reserve_commit_void_and_rerender() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Registry::open(&dir.path().join("r.sqlite")).unwrap();
        let a = r.reserve("发文", "仁府办发", 2026, "a", P).unwrap();
        assert_eq!(
            (a.number.as_str(), a.seq, a.fresh),
            ("仁府办发〔2026〕1号", 1, true)
        );
        let again = r.reserve("发文", "仁府办发", 2026, "a", P).unwrap();
        assert_eq!((again.seq, again.fresh), (1, false));
        let b = r.reserve("发文", "仁府办发", 2026, "b", P).unwrap();
        assert_eq!(b.seq, 2);
        r.void("发文", &b.number, "标题错误").unwrap();
        let c = r.reserve("发文", "仁府办发", 2026, "c", P).unwrap();
        assert_eq!(c.seq, 3, "a voided number is never reissued");
        assert_eq!(
            r.reserve("发文", "仁府办发", 2027, "d", P).unwrap().seq,
            1,
            "new year, new sequence"
        );
        r.commit(
            "发文",
            "a",
            &DocRecord {
                title: "关于…的通知".into(),
                ..DocRecord::default()
            },
        )
        .unwrap();
        let audit = r.audit(0).unwrap();
        assert!(audit.gaps.is_empty());
        assert_eq!(audit.counts, (2, 1, 1));
        assert!(matches!(
            r.claim("发文", "仁府办发", 2026, 3, "x", P),
            Err(RegistryError::Taken { .. })
        ));
        assert!(matches!(
            r.claim("发文", "仁府办发", 2026, 9, "x", P),
            Err(RegistryError::OutOfSequence { expected: 4, .. })
        ));
        assert_eq!(
            r.claim("发文", "仁府办发", 2026, 4, "x", P).unwrap().number,
            "仁府办发〔2026〕4号"
        );
    }
}
