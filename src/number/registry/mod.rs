//! The numbering registry: every 发文字号 and form number issued once, in order, for one
//! document, on record.
//!
//! SQLite (bundled) in one file, or a PostgreSQL database shared by several machines. Every
//! operation runs in one transaction that takes the write lock before it reads, so two processes
//! or threads never read the same "next" sequence.
//!
//! A number is `reserved` for a document, then `committed` when the document is produced, or
//! `void` with a reason. The rules that make a number a legal fact:
//! - A document is its key **and** its identity (标题 and 成文日期). Reserving again for the same
//!   document returns the same number (idempotent re-render); the same key with another identity
//!   is another document: refused ([`RegistryError::IdentityChanged`]), or, when the office asks
//!   for it ([`OnChange::NewDocument`]), given a new number under a derived key `KEY#2`, `KEY#3` ….
//! - A committed record is never rewritten: committing again only appends to the render log.
//! - A voided number stays on record, is never reissued, never claimed, never committed; the
//!   document that held it gets a new number next time.
//! - A crash between reserve and commit leaves a visible reservation, reported by the audit.

mod audit;
mod postgres;
mod sqlite;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use audit::{Audit, DateOrder};

/// Schema version this code writes; older files and databases are migrated on open.
pub(crate) const SCHEMA_VERSION: i64 = 2;

/// How long an operation waits for another process's lock before giving up.
pub const LOCK_TIMEOUT_SECS: u64 = 60;

/// Registry errors.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The database failed (disk full, corrupt file, server error …).
    #[error("编号库 {location}：{message}")]
    Db {
        /// The registry file, or the connection string with its password hidden.
        location: String,
        /// The cause, with the server's own detail.
        message: String,
    },
    /// Another process held the registry's lock for too long.
    #[error("编号库 {location} 正被其他进程占用，等待 {secs} 秒后仍未取得锁：{message}")]
    Busy {
        /// The registry.
        location: String,
        /// How long we waited.
        secs: u64,
        /// The database's message.
        message: String,
    },
    /// The file was written by a newer wenshu.
    #[error("编号库 {0} 的结构版本 {1} 比本程序新，请升级 wenshu")]
    TooNew(String, i64),
    /// A number already belongs to another document.
    #[error("编号“{number}”已被“{holder}”使用（{state}{title}），不能重复使用")]
    Taken {
        /// The number.
        number: String,
        /// The document key that holds it.
        holder: String,
        /// Its state.
        state: String,
        /// `，《标题》` of the holder when known.
        title: String,
    },
    /// A voided number: never issued, claimed or printed again.
    #[error("编号“{number}”已于 {at} 作废（原因：{reason}），不能再使用")]
    Voided {
        /// The number.
        number: String,
        /// Why it was voided.
        reason: String,
        /// When.
        at: String,
    },
    /// Voiding a number that is already void: the first reason stands.
    #[error("编号“{number}”已于 {at} 作废（原因：{reason}），不能再次作废")]
    AlreadyVoid {
        /// The number.
        number: String,
        /// The first reason.
        reason: String,
        /// When.
        at: String,
    },
    /// The same document key came back as another document (another title or date).
    #[error("{0}")]
    IdentityChanged(Box<IdentityChange>),
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
    /// A number pattern that cannot tell two numbers apart.
    #[error("编号格式“{0}”无效：{1}")]
    BadPattern(String, String),
    /// The backup target is the registry itself, or cannot be written.
    #[error("备份失败：{0}")]
    Backup(String),
}

type Result<T> = std::result::Result<T, RegistryError>;

/// A key that came back as another document: both, as the office will want to compare them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityChange {
    /// The key.
    pub key: String,
    /// The number the key holds.
    pub number: String,
    /// Title on record.
    pub old_title: String,
    /// Date on record.
    pub old_date: String,
    /// Title of this document.
    pub new_title: String,
    /// Date of this document.
    pub new_date: String,
}

impl std::fmt::Display for IdentityChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "文档键“{}”已用于编号“{}”的《{}》（{}），本次文档为《{}》（{}）：已生成的公文记录不能改写",
            self.key, self.number, self.old_title, self.old_date, self.new_title, self.new_date
        )
    }
}

/// Checks a number pattern: it must contain `{seq}` (or `{seq:0N}`), or every document would get
/// the same number.
pub fn check_pattern(pattern: &str) -> Result<()> {
    let has_seq =
        pattern.contains("{seq}") || crate::regexes::is_match(r"\{seq:0?[1-9]\}", pattern);
    if has_seq {
        Ok(())
    } else {
        Err(RegistryError::BadPattern(
            pattern.to_owned(),
            "缺少顺序号 {seq}，所有文档会得到同一个编号".into(),
        ))
    }
}

/// Which document a number is for, beyond its key: two documents with the same key but another
/// title or date are two documents. Empty parts are unknown and match anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// 标题 (or the form's title).
    pub title: String,
    /// 成文日期 / the form's date, as written.
    pub date: String,
}

impl Identity {
    /// An identity from a title and a date as written.
    pub fn new(title: impl Into<String>, date: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            date: date.into(),
        }
    }

    fn same_title(a: &str, b: &str) -> bool {
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        a.trim().is_empty() || b.trim().is_empty() || squash(a) == squash(b)
    }

    fn same_date(a: &str, b: &str) -> bool {
        let norm = |s: &str| {
            crate::model::date::parse(s)
                .map(|d| d.to_string())
                .unwrap_or_else(|_| s.trim().to_owned())
        };
        a.trim().is_empty() || b.trim().is_empty() || norm(a) == norm(b)
    }

    fn matches(&self, row: &Row) -> bool {
        Self::same_title(&self.title, &row.title) && Self::same_date(&self.date, &row.date)
    }

    fn is_empty(&self) -> bool {
        self.title.trim().is_empty() && self.date.trim().is_empty()
    }
}

/// What to do when a key comes back as another document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnChange {
    /// Refuse, naming both documents.
    #[default]
    Refuse,
    /// Issue a new number under a derived key (`KEY#2` …): the office said it is a new document.
    NewDocument,
}

/// A number handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issued {
    /// The formatted number, e.g. `仁府办发〔2026〕3号`.
    pub number: String,
    /// Sequence within (scheme, prefix, year).
    pub seq: u32,
    /// False when the document already had this number (re-render).
    pub fresh: bool,
    /// `reserved`, `committed` or `void`.
    pub state: String,
    /// The key the number is held under: the key asked for, or a derived `KEY#n`.
    pub key: String,
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
    /// When voided.
    pub voided_at: Option<String>,
}

/// The columns of [`Entry`], in the order both backends select them.
pub(crate) const ENTRY_COLUMNS: &str = "scheme, prefix, year, seq, number, doc_key, state, reason, kind, title, doc_date, classification, issuer, output, sha256, reserved_at, committed_at, voided_at";

/// A number on record as the issuing logic sees it.
#[derive(Debug, Clone)]
pub struct Row {
    /// Row id.
    pub id: i64,
    /// The document key that holds it.
    pub doc_key: String,
    /// The formatted number.
    pub number: String,
    /// Its sequence.
    pub seq: u32,
    /// `reserved`, `committed` or `void`.
    pub state: String,
    /// Title on record (may be empty).
    pub title: String,
    /// Date on record (may be empty).
    pub date: String,
    /// Void reason (empty unless void).
    pub reason: String,
    /// When voided (empty unless void).
    pub voided_at: String,
}

impl Row {
    /// Whether this number is held by the document with `identity`.
    pub fn matches(&self, identity: &Identity) -> bool {
        !identity.is_empty() && identity.matches(self)
    }
}

/// The columns of [`Row`], in order.
pub(crate) const ROW_COLUMNS: &str = "id, doc_key, number, seq, state, COALESCE(title, ''), COALESCE(doc_date, ''), COALESCE(reason, ''), COALESCE(voided_at, '')";

/// A new reservation.
pub(crate) struct NewRow<'a> {
    pub scheme: &'a str,
    pub prefix: &'a str,
    pub year: i32,
    pub seq: u32,
    pub number: &'a str,
    pub doc_key: &'a str,
    pub identity: &'a Identity,
}

/// What one locked transaction can ask of either database.
pub(crate) trait Tx {
    /// Live (not void) rows whose key is `key` or derived from it (`key#n`).
    fn live(&mut self, scheme: &str, key: &str) -> Result<Vec<Row>>;
    /// The most recent void row of exactly `key`.
    fn voided(&mut self, scheme: &str, key: &str) -> Result<Option<Row>>;
    fn holder(&mut self, scheme: &str, prefix: &str, year: i32, seq: u32) -> Result<Option<Row>>;
    fn by_number(&mut self, scheme: &str, number: &str) -> Result<Option<Row>>;
    fn max_seq(&mut self, scheme: &str, prefix: &str, year: i32) -> Result<u32>;
    fn insert(&mut self, row: &NewRow<'_>, at: &str) -> Result<()>;
    fn set_identity(&mut self, id: i64, identity: &Identity) -> Result<()>;
    /// Marks a reserved row committed; fields left empty in `record` keep what is on record.
    fn commit(&mut self, id: i64, record: &DocRecord, at: &str) -> Result<()>;
    fn void(&mut self, id: i64, reason: &str, at: &str) -> Result<()>;
    /// Appends a produced file to the render log.
    fn log_render(&mut self, scheme: &str, row: &Row, record: &DocRecord, at: &str) -> Result<()>;
}

pub(crate) fn now() -> String {
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

/// Whether `candidate` is `key` or a key derived from it (`key#2` …).
fn is_key_or_derived(candidate: &str, key: &str) -> bool {
    candidate == key
        || candidate
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix('#'))
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// The next free derived key `key#n` (n ≥ 2).
fn derived_key(live: &[Row], key: &str) -> String {
    let mut n = 2;
    loop {
        let candidate = format!("{key}#{n}");
        if !live.iter().any(|r| r.doc_key == candidate) {
            return candidate;
        }
        n += 1;
    }
}

fn issued(row: &Row, fresh: bool) -> Issued {
    Issued {
        number: row.number.clone(),
        seq: row.seq,
        fresh,
        state: row.state.clone(),
        key: row.doc_key.clone(),
    }
}

fn identity_changed(row: &Row, identity: &Identity) -> RegistryError {
    RegistryError::IdentityChanged(Box::new(IdentityChange {
        key: row.doc_key.clone(),
        number: row.number.clone(),
        old_title: row.title.clone(),
        old_date: row.date.clone(),
        new_title: identity.title.clone(),
        new_date: identity.date.clone(),
    }))
}

/// The document's live row among those of its key, or what to do about the key's other document:
/// `Ok(Some(row))` is this document's row, `Ok(None)` means "issue under the returned key".
fn find_document(
    tx: &mut dyn Tx,
    live: &[Row],
    key: &str,
    identity: &Identity,
    on_change: OnChange,
) -> Result<(Option<Row>, String)> {
    if let Some(row) = live.iter().find(|r| identity.matches(r)) {
        if identity.is_empty() || row.state != "reserved" {
            return Ok((Some(row.clone()), row.doc_key.clone()));
        }
        // A draft learns the details it lacked (reservations made before identities existed).
        tx.set_identity(row.id, identity)?;
        return Ok((Some(row.clone()), row.doc_key.clone()));
    }
    let Some(holder) = live.iter().find(|r| r.doc_key == key) else {
        return Ok((None, key.to_owned()));
    };
    if holder.state == "reserved" {
        // Never produced (a commit comes before any file is written): still a draft, which
        // may change its title or date and keep its number.
        tx.set_identity(holder.id, identity)?;
        return Ok((Some(holder.clone()), key.to_owned()));
    }
    match on_change {
        OnChange::Refuse => Err(identity_changed(holder, identity)),
        OnChange::NewDocument => Ok((None, derived_key(live, key))),
    }
}

/// The next number for the document, or the one it holds (inside a locked transaction).
#[allow(clippy::too_many_arguments)]
fn reserve_in(
    tx: &mut dyn Tx,
    scheme: &str,
    prefix: &str,
    year: i32,
    key: &str,
    identity: &Identity,
    on_change: OnChange,
    pattern: &str,
) -> Result<Issued> {
    check_pattern(pattern)?;
    let live = tx.live(scheme, key)?;
    let (row, key) = find_document(tx, &live, key, identity, on_change)?;
    if let Some(row) = row {
        return Ok(issued(&row, false));
    }
    let seq = tx.max_seq(scheme, prefix, year)? + 1;
    let number = format_number(pattern, prefix, year, seq);
    reserve_row(tx, scheme, prefix, year, seq, number, key, identity)
}

/// Records `number` as reserved for the document `key` (the last step of reserving and claiming).
#[allow(clippy::too_many_arguments)]
fn reserve_row(
    tx: &mut dyn Tx,
    scheme: &str,
    prefix: &str,
    year: i32,
    seq: u32,
    number: String,
    key: String,
    identity: &Identity,
) -> Result<Issued> {
    tx.insert(
        &NewRow {
            scheme,
            prefix,
            year,
            seq,
            number: &number,
            doc_key: &key,
            identity,
        },
        &now(),
    )?;
    Ok(Issued {
        number,
        seq,
        fresh: true,
        state: "reserved".into(),
        key,
    })
}

/// Claims a typed number for the document (inside a locked transaction).
#[allow(clippy::too_many_arguments)]
fn claim_in(
    tx: &mut dyn Tx,
    scheme: &str,
    prefix: &str,
    year: i32,
    seq: u32,
    key: &str,
    identity: &Identity,
    on_change: OnChange,
    pattern: &str,
) -> Result<Issued> {
    check_pattern(pattern)?;
    let number = format_number(pattern, prefix, year, seq);
    match tx.holder(scheme, prefix, year, seq)? {
        Some(h) if h.state == "void" => {
            return Err(RegistryError::Voided {
                number,
                reason: h.reason,
                at: h.voided_at,
            });
        }
        Some(h) if is_key_or_derived(&h.doc_key, key) => {
            if identity.matches(&h) {
                return Ok(issued(&h, false));
            }
            if h.state == "reserved" {
                tx.set_identity(h.id, identity)?;
                return Ok(issued(&h, false));
            }
            return Err(identity_changed(&h, identity));
        }
        Some(h) => {
            return Err(RegistryError::Taken {
                number,
                holder: h.doc_key,
                title: if h.title.is_empty() {
                    String::new()
                } else {
                    format!("，《{}》", h.title)
                },
                state: state_name(&h.state).into(),
            });
        }
        None => {}
    }
    let live = tx.live(scheme, key)?;
    let (row, key) = find_document(tx, &live, key, identity, on_change)?;
    if let Some(other) = row {
        return Err(RegistryError::Taken {
            number: other.number,
            holder: other.doc_key,
            state: "该文档已有另一个编号".into(),
            title: String::new(),
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
    reserve_row(tx, scheme, prefix, year, seq, number, key, identity)
}

fn commit_in(tx: &mut dyn Tx, scheme: &str, key: &str, record: &DocRecord) -> Result<String> {
    let live = tx.live(scheme, key)?;
    let Some(row) = live.into_iter().find(|r| r.doc_key == key) else {
        return Err(match tx.voided(scheme, key)? {
            Some(v) => RegistryError::Voided {
                number: v.number,
                reason: v.reason,
                at: v.voided_at,
            },
            None => RegistryError::NotFound(format!("{scheme}:{key}（未预留）")),
        });
    };
    let at = now();
    if row.state == "reserved" {
        tx.commit(row.id, record, &at)?;
    }
    // A committed record stays as first written; every produced file is logged.
    if !record.output.is_empty() || !record.sha256.is_empty() {
        tx.log_render(scheme, &row, record, &at)?;
    }
    Ok(row.number)
}

fn void_in(tx: &mut dyn Tx, scheme: &str, number: &str, reason: &str) -> Result<()> {
    match tx.by_number(scheme, number)? {
        None => Err(RegistryError::NotFound(number.to_owned())),
        Some(r) if r.state == "void" => Err(RegistryError::AlreadyVoid {
            number: number.to_owned(),
            reason: r.reason,
            at: r.voided_at,
        }),
        Some(r) => tx.void(r.id, reason, &now()),
    }
}

/// The Chinese name of a state.
pub fn state_name(state: &str) -> &'static str {
    match state {
        "reserved" => "预留",
        "committed" => "已用",
        _ => "作废",
    }
}

/// A registry: a SQLite file, or a PostgreSQL database shared by several machines.
pub struct Registry {
    backend: Backend,
    /// Where it is, safe to print (no password).
    location: String,
}

enum Backend {
    Sqlite(rusqlite::Connection, PathBuf),
    Postgres(Box<::postgres::Client>),
}

/// Whether `path` names a PostgreSQL database rather than a SQLite file.
pub fn is_postgres(path: &Path) -> bool {
    let text = path.to_string_lossy();
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl Registry {
    /// Opens (creating and migrating) the registry: a SQLite file path, or a
    /// `postgres://user:password@host/db?sslmode=require` URL.
    pub fn open(path: &Path) -> Result<Self> {
        if is_postgres(path) {
            let conn = path.to_string_lossy();
            let (client, location) = postgres::open(&conn)?;
            return Ok(Self {
                backend: Backend::Postgres(Box::new(client)),
                location,
            });
        }
        let conn = sqlite::open(path)?;
        Ok(Self {
            backend: Backend::Sqlite(conn, path.to_owned()),
            location: path.display().to_string(),
        })
    }

    /// Where the registry is, safe to print (a PostgreSQL password is hidden).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Runs `f` in a transaction that holds the write lock before it reads.
    fn locked<T>(&mut self, f: impl FnOnce(&mut dyn Tx) -> Result<T>) -> Result<T> {
        match &mut self.backend {
            Backend::Sqlite(conn, _) => sqlite::locked(conn, &self.location, f),
            Backend::Postgres(client) => postgres::locked(client, &self.location, f),
        }
    }

    /// The next number of (scheme, prefix, year) for `doc_key`, or the one it already holds.
    /// No identity: any document under the key is the same (`wenshu number reserve`).
    pub fn reserve(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        doc_key: &str,
        pattern: &str,
    ) -> Result<Issued> {
        self.reserve_for(
            scheme,
            prefix,
            year,
            doc_key,
            &Identity::default(),
            OnChange::Refuse,
            pattern,
        )
    }

    /// The number of the document (`doc_key` + `identity`): the one it holds, or the next one.
    /// The same key with another identity is refused, or gets a new number under a derived key
    /// when `on_change` says it is a new document.
    #[allow(clippy::too_many_arguments)]
    pub fn reserve_for(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        doc_key: &str,
        identity: &Identity,
        on_change: OnChange,
        pattern: &str,
    ) -> Result<Issued> {
        self.locked(|tx| {
            reserve_in(
                tx, scheme, prefix, year, doc_key, identity, on_change, pattern,
            )
        })
    }

    /// Claims a hand-typed number for `doc_key`: refused if another document holds it, if it
    /// was voided or if it would skip numbers; idempotent for the same document.
    pub fn claim(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
        doc_key: &str,
        pattern: &str,
    ) -> Result<Issued> {
        self.claim_for(
            scheme,
            prefix,
            year,
            seq,
            doc_key,
            &Identity::default(),
            OnChange::Refuse,
            pattern,
        )
    }

    /// [`Registry::claim`] for a document with an identity (see [`Registry::reserve_for`]).
    #[allow(clippy::too_many_arguments)]
    pub fn claim_for(
        &mut self,
        scheme: &str,
        prefix: &str,
        year: i32,
        seq: u32,
        doc_key: &str,
        identity: &Identity,
        on_change: OnChange,
        pattern: &str,
    ) -> Result<Issued> {
        self.locked(|tx| {
            claim_in(
                tx, scheme, prefix, year, seq, doc_key, identity, on_change, pattern,
            )
        })
    }

    /// Marks the number of `doc_key` as used by a produced document and records it; returns the
    /// number. A voided number is refused (call this before the file is put in place, so that
    /// nothing is ever delivered with a voided number). A committed record is kept as first
    /// written; a re-render is appended to the render log.
    pub fn commit(&mut self, scheme: &str, doc_key: &str, record: &DocRecord) -> Result<String> {
        self.locked(|tx| commit_in(tx, scheme, doc_key, record))
    }

    /// Voids a number (by its text): it stays on record as 作废 and is never reissued. Voiding
    /// twice is refused; the first reason stands.
    pub fn void(&mut self, scheme: &str, number: &str, reason: &str) -> Result<()> {
        self.locked(|tx| void_in(tx, scheme, number, reason))
    }

    /// A number on record, if any (who holds it, its state, why it was voided).
    pub fn lookup(&mut self, scheme: &str, number: &str) -> Result<Option<Row>> {
        self.locked(|tx| tx.by_number(scheme, number))
    }

    /// Every number of a scheme (all schemes when empty) and year (all when `None`), in order.
    pub fn entries(&mut self, scheme: &str, year: Option<i32>) -> Result<Vec<Entry>> {
        match &mut self.backend {
            Backend::Sqlite(conn, _) => sqlite::entries(conn, &self.location, scheme, year),
            Backend::Postgres(client) => postgres::entries(client, &self.location, scheme, year),
        }
    }

    /// Gaps, every open reservation (those older than `max_age_days` flagged as stale), and
    /// numbers whose dates run against their order.
    pub fn audit(&mut self, max_age_days: i64) -> Result<Audit> {
        let entries = self.entries("", None)?;
        Ok(audit::audit(&entries, max_age_days, chrono::Utc::now()))
    }

    /// A consistent copy as a SQLite registry file, written to a temporary file beside `to` and
    /// renamed into place (an existing backup is replaced only by a complete one).
    pub fn backup(&mut self, to: &Path) -> Result<()> {
        if let Backend::Sqlite(_, own) = &self.backend
            && crate::output::atomic::same_file(own, to)
        {
            return Err(RegistryError::Backup(format!(
                "{} 就是编号库本身，请换一个备份路径",
                to.display()
            )));
        }
        let dir = match to.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir)
            .map_err(|e| RegistryError::Backup(format!("{}：{e}", dir.display())))?;
        let tmp = tempfile::Builder::new()
            .prefix(".wenshu-backup-")
            .suffix(".sqlite")
            .tempfile_in(&dir)
            .map_err(|e| RegistryError::Backup(format!("{}：{e}", dir.display())))?;
        let tmp_path = tmp.path().to_owned();
        // VACUUM INTO wants a path that does not exist yet; keep the name, drop the file.
        tmp.close()
            .map_err(|e| RegistryError::Backup(format!("{}：{e}", tmp_path.display())))?;
        let result = match &mut self.backend {
            Backend::Sqlite(conn, _) => sqlite::vacuum_into(conn, &self.location, &tmp_path),
            Backend::Postgres(_) => {
                let entries = self.entries("", None)?;
                sqlite::write_copy(&tmp_path, &entries)
            }
        };
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp_path);
            return Err(e);
        }
        std::fs::rename(&tmp_path, to).map_err(|e| {
            let _ = std::fs::remove_file(&tmp_path);
            RegistryError::Backup(format!("{}：{e}", to.display()))
        })
    }
}

#[cfg(test)]
mod tests;
