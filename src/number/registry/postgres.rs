//! The PostgreSQL backend: one database shared by several machines, reached over TLS as offices
//! run it (`sslmode` as libpq reads it), with the server's own error detail in messages, a lock
//! timeout like SQLite's, and never the password in a message.

use std::sync::Arc;

use postgres::{Client, NoTls};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

use super::{
    DocRecord, ENTRY_COLUMNS, Entry, Identity, LOCK_TIMEOUT_SECS, NewRow, ROW_COLUMNS,
    RegistryError, Result, Row, SCHEMA_VERSION, Tx,
};

const SCHEMA: &str = r#"
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
    UNIQUE (scheme, prefix, year, seq)
);
INSERT INTO wenshu_meta (key, value) VALUES ('schema_version', '1') ON CONFLICT (key) DO NOTHING;
"#;

/// Version 1 → 2: see the SQLite migration of the same version.
const MIGRATE_2: &str = r#"
ALTER TABLE wenshu_numbers DROP CONSTRAINT IF EXISTS wenshu_numbers_scheme_doc_key_key;
CREATE INDEX IF NOT EXISTS wenshu_numbers_by_key ON wenshu_numbers (scheme, (doc_key COLLATE "C"));
CREATE UNIQUE INDEX IF NOT EXISTS wenshu_numbers_live_key ON wenshu_numbers (scheme, doc_key) WHERE state <> 'void';
CREATE TABLE IF NOT EXISTS wenshu_renders (
    id BIGSERIAL PRIMARY KEY,
    scheme TEXT NOT NULL,
    number TEXT NOT NULL,
    doc_key TEXT NOT NULL,
    output TEXT,
    sha256 TEXT,
    rendered_at TEXT NOT NULL
);
CREATE OR REPLACE FUNCTION wenshu_numbers_final() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'wenshu: numbers are never deleted';
    END IF;
    IF OLD.state = 'void' THEN
        RAISE EXCEPTION 'wenshu: a void number is final';
    END IF;
    IF OLD.state = 'committed' AND NOT (NEW.state = 'void'
        AND NEW.doc_key IS NOT DISTINCT FROM OLD.doc_key AND NEW.number IS NOT DISTINCT FROM OLD.number
        AND NEW.seq IS NOT DISTINCT FROM OLD.seq AND NEW.title IS NOT DISTINCT FROM OLD.title
        AND NEW.doc_date IS NOT DISTINCT FROM OLD.doc_date AND NEW.kind IS NOT DISTINCT FROM OLD.kind
        AND NEW.output IS NOT DISTINCT FROM OLD.output AND NEW.sha256 IS NOT DISTINCT FROM OLD.sha256
        AND NEW.issuer IS NOT DISTINCT FROM OLD.issuer
        AND NEW.classification IS NOT DISTINCT FROM OLD.classification
        AND NEW.committed_at IS NOT DISTINCT FROM OLD.committed_at) THEN
        RAISE EXCEPTION 'wenshu: a committed record is final (it may only be voided)';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS wenshu_numbers_final ON wenshu_numbers;
CREATE TRIGGER wenshu_numbers_final BEFORE UPDATE OR DELETE ON wenshu_numbers
    FOR EACH ROW EXECUTE FUNCTION wenshu_numbers_final();
UPDATE wenshu_meta SET value = '2' WHERE key = 'schema_version';
"#;

/// The connection string with any password replaced by `***`, for messages and logs.
pub fn redact(conn: &str) -> String {
    let hide = |part: &str| -> String {
        match part.split_once('=') {
            Some((k, _)) if k.trim().eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => part.to_owned(),
        }
    };
    if let Some((scheme, rest)) = conn.split_once("://") {
        let (main, query) = match rest.split_once('?') {
            Some((m, q)) => (m, Some(q)),
            None => (rest, None),
        };
        let main = match main.rsplit_once('@') {
            Some((auth, host)) => match auth.split_once(':') {
                Some((user, _)) => format!("{user}:***@{host}"),
                None => format!("{auth}@{host}"),
            },
            None => main.to_owned(),
        };
        let query = query
            .map(|q| format!("?{}", q.split('&').map(hide).collect::<Vec<_>>().join("&")))
            .unwrap_or_default();
        return format!("{scheme}://{main}{query}");
    }
    conn.split(' ').map(hide).collect::<Vec<_>>().join(" ")
}

/// The server's message, detail and hint (not tokio-postgres's bare "db error"), with the
/// cause chain for connection failures.
fn message(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = format!("{}（SQLSTATE {}", db.message(), db.code().code());
        if let Some(d) = db.detail() {
            s.push('；');
            s.push_str(d);
        }
        if let Some(h) = db.hint() {
            s.push_str("；提示：");
            s.push_str(h);
        }
        s.push('）');
        return s;
    }
    let mut s = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !s.contains(&text) {
            s.push('：');
            s.push_str(&text);
        }
        source = cause.source();
    }
    s
}

fn pg(location: &str) -> impl Fn(postgres::Error) -> RegistryError + '_ {
    move |e| {
        // 55P03 lock_not_available: lock_timeout expired.
        if e.code().is_some_and(|c| c.code() == "55P03") {
            RegistryError::Busy {
                location: location.to_owned(),
                secs: LOCK_TIMEOUT_SECS,
                message: message(&e),
            }
        } else {
            RegistryError::Db {
                location: location.to_owned(),
                message: message(&e),
            }
        }
    }
}

/// libpq's `sslmode`, as far as it concerns the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SslMode {
    Disable,
    /// TLS when the server offers it, else plain; the certificate is not checked (libpq).
    Prefer,
    /// TLS or nothing; the certificate is checked only when a root certificate is given.
    Require,
    /// TLS with the certificate chain checked, not the host name.
    VerifyCa,
    /// TLS with the chain and the host name checked.
    VerifyFull,
}

/// Splits libpq TLS options the driver doesn't know (`verify-ca`, `verify-full`,
/// `sslrootcert`) out of the connection string.
fn tls_options(conn: &str) -> std::result::Result<(String, SslMode, Option<String>), String> {
    let mut mode = SslMode::Prefer;
    let mut root = None;
    let mut keep = |key: &str, value: &str| -> std::result::Result<bool, String> {
        match key {
            "sslmode" => {
                mode = match value {
                    "disable" => SslMode::Disable,
                    "allow" | "prefer" => SslMode::Prefer,
                    "require" => SslMode::Require,
                    "verify-ca" => SslMode::VerifyCa,
                    "verify-full" => SslMode::VerifyFull,
                    other => {
                        return Err(format!(
                            "sslmode={other} 无效，可选 disable、prefer、require、verify-ca、verify-full"
                        ));
                    }
                };
                Ok(false)
            }
            "sslrootcert" => {
                root = Some(value.to_owned());
                Ok(false)
            }
            "sslcert" | "sslkey" => Err(format!(
                "{key}（客户端证书）暂不支持；请用密码认证并以 sslmode=verify-full 校验服务器"
            )),
            _ => Ok(true),
        }
    };
    let driver_mode = |m: SslMode| match m {
        SslMode::Disable => "disable",
        SslMode::Prefer => "prefer",
        _ => "require",
    };
    if let Some((base, query)) = conn.split_once('?') {
        let mut kept = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            if keep(k, v)? {
                kept.push(part.to_owned());
            }
        }
        kept.push(format!("sslmode={}", driver_mode(mode)));
        return Ok((format!("{base}?{}", kept.join("&")), mode, root));
    }
    if conn.contains("://") {
        return Ok((format!("{conn}?sslmode=prefer"), mode, root));
    }
    let mut kept = Vec::new();
    for part in conn.split_whitespace() {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        if keep(k, v)? {
            kept.push(part.to_owned());
        }
    }
    kept.push(format!("sslmode={}", driver_mode(mode)));
    Ok((kept.join(" "), mode, root))
}

/// Accepts any certificate but still checks the handshake signatures: libpq's `require`
/// (encrypted, not authenticated).
#[derive(Debug)]
struct EncryptOnly(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Checks the chain, not the host name: libpq's `verify-ca`.
#[derive(Debug)]
struct ChainOnly(Arc<rustls::client::WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// The trust anchors: `sslrootcert`, else libpq's `~/.postgresql/root.crt`, else the system's.
fn roots(rootcert: Option<&str>) -> std::result::Result<rustls::RootCertStore, String> {
    use rustls::pki_types::pem::PemObject;
    let mut store = rustls::RootCertStore::empty();
    let file = rootcert.map(std::path::PathBuf::from).or_else(|| {
        dirs::home_dir()
            .map(|h| h.join(".postgresql/root.crt"))
            .filter(|p| p.is_file())
    });
    match file {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(&path)
                .map_err(|e| format!("无法读取根证书 {}：{e}", path.display()))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("根证书 {} 无效：{e}", path.display()))?;
                store
                    .add(cert)
                    .map_err(|e| format!("根证书 {} 无效：{e}", path.display()))?;
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
        }
    }
    if store.is_empty() {
        return Err("没有可用的根证书：用 sslrootcert=/路径/root.crt 指定服务器的 CA 证书".into());
    }
    Ok(store)
}

fn tls_config(
    mode: SslMode,
    rootcert: Option<&str>,
) -> std::result::Result<rustls::ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    // libpq: with a root certificate given, `require` behaves as `verify-ca`.
    let mode = if mode == SslMode::Require && rootcert.is_some() {
        SslMode::VerifyCa
    } else {
        mode
    };
    let config = match mode {
        SslMode::VerifyFull => builder
            .with_root_certificates(roots(rootcert)?)
            .with_no_client_auth(),
        SslMode::VerifyCa => {
            let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots(rootcert)?),
                provider,
            )
            .build()
            .map_err(|e| e.to_string())?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(ChainOnly(inner)))
                .with_no_client_auth()
        }
        _ => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
            .with_no_client_auth(),
    };
    Ok(config)
}

/// Connects, creates or migrates the schema, and sets the lock timeout.
pub(super) fn open(conn: &str) -> Result<(Client, String)> {
    let location = redact(conn);
    let bad = |message: String| RegistryError::Db {
        location: location.clone(),
        message,
    };
    let (driver_conn, mode, rootcert) = tls_options(conn).map_err(&bad)?;
    let mut config: postgres::Config = driver_conn.parse().map_err(pg(&location))?;
    // As libpq does: a password kept out of the URL (and so out of shell history and process
    // listings) comes from PGPASSWORD.
    if config.get_password().is_none()
        && let Some(password) = std::env::var_os("PGPASSWORD")
    {
        config.password(password.as_encoded_bytes());
    }
    let mut client = if mode == SslMode::Disable {
        config.connect(NoTls)
    } else {
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(
            tls_config(mode, rootcert.as_deref()).map_err(&bad)?,
        );
        config.connect(tls)
    }
    .map_err(pg(&location))?;
    client
        .batch_execute(&format!(
            "SET lock_timeout = '{LOCK_TIMEOUT_SECS}s'; SET idle_in_transaction_session_timeout = '{}s'",
            LOCK_TIMEOUT_SECS * 5
        ))
        .map_err(pg(&location))?;
    // Concurrent first opens race on CREATE TABLE: serialise them.
    let mut tx = client.transaction().map_err(pg(&location))?;
    tx.execute("SELECT pg_advisory_xact_lock(7061958)", &[])
        .map_err(pg(&location))?;
    tx.batch_execute(SCHEMA).map_err(pg(&location))?;
    let version: String = tx
        .query_one(
            "SELECT value FROM wenshu_meta WHERE key = 'schema_version'",
            &[],
        )
        .map_err(pg(&location))?
        .get(0);
    let version: i64 = version.parse().unwrap_or(0);
    if version > SCHEMA_VERSION {
        return Err(RegistryError::TooNew(location, version));
    }
    if version < 2 {
        tx.batch_execute(MIGRATE_2).map_err(pg(&location))?;
    }
    tx.commit().map_err(pg(&location))?;
    Ok((client, location))
}

/// Runs `f` in a transaction holding the table's EXCLUSIVE lock (readers are not blocked).
pub(super) fn locked<T>(
    client: &mut Client,
    location: &str,
    f: impl FnOnce(&mut dyn Tx) -> Result<T>,
) -> Result<T> {
    let mut tx = client.transaction().map_err(pg(location))?;
    tx.batch_execute("LOCK TABLE wenshu_numbers IN EXCLUSIVE MODE")
        .map_err(pg(location))?;
    let mut t = PgTx { tx, location };
    let out = f(&mut t)?;
    t.tx.commit().map_err(pg(location))?;
    Ok(out)
}

struct PgTx<'a> {
    tx: postgres::Transaction<'a>,
    location: &'a str,
}

fn to_u32(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn to_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn row(r: &postgres::Row) -> Row {
    Row {
        id: r.get(0),
        doc_key: r.get(1),
        number: r.get(2),
        seq: to_u32(r.get(3)),
        state: r.get(4),
        title: r.get(5),
        date: r.get(6),
        reason: r.get(7),
        voided_at: r.get(8),
    }
}

impl PgTx<'_> {
    fn rows(
        &mut self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let rows = self.tx.query(sql, params).map_err(pg(self.location))?;
        Ok(rows.iter().map(row).collect())
    }
    fn exec(&mut self, sql: &str, params: &[&(dyn postgres::types::ToSql + Sync)]) -> Result<()> {
        self.tx
            .execute(sql, params)
            .map(|_| ())
            .map_err(pg(self.location))
    }
}

impl Tx for PgTx<'_> {
    fn live(&mut self, scheme: &str, key: &str) -> Result<Vec<Row>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM wenshu_numbers WHERE scheme = $1 AND state <> 'void' AND (doc_key = $2 OR (doc_key COLLATE \"C\" >= $2 || '#' AND doc_key COLLATE \"C\" < $2 || '$')) ORDER BY id"
        );
        let rows = self.rows(&sql, &[&scheme, &key])?;
        Ok(rows
            .into_iter()
            .filter(|r| super::is_key_or_derived(&r.doc_key, key))
            .collect())
    }
    fn voided(&mut self, scheme: &str, key: &str) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM wenshu_numbers WHERE scheme = $1 AND doc_key = $2 AND state = 'void' ORDER BY id DESC LIMIT 1"
        );
        Ok(self.rows(&sql, &[&scheme, &key])?.into_iter().next())
    }
    fn holder(&mut self, scheme: &str, prefix: &str, year: i32, seq: u32) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM wenshu_numbers WHERE scheme = $1 AND prefix = $2 AND year = $3 AND seq = $4"
        );
        Ok(self
            .rows(&sql, &[&scheme, &prefix, &year, &to_i32(seq)])?
            .into_iter()
            .next())
    }
    fn by_number(&mut self, scheme: &str, number: &str) -> Result<Option<Row>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM wenshu_numbers WHERE scheme = $1 AND number = $2 ORDER BY id LIMIT 1"
        );
        Ok(self.rows(&sql, &[&scheme, &number])?.into_iter().next())
    }
    fn max_seq(&mut self, scheme: &str, prefix: &str, year: i32) -> Result<u32> {
        let row = self
            .tx
            .query_one(
                "SELECT MAX(seq) FROM wenshu_numbers WHERE scheme = $1 AND prefix = $2 AND year = $3",
                &[&scheme, &prefix, &year],
            )
            .map_err(pg(self.location))?;
        Ok(row.get::<_, Option<i32>>(0).map_or(0, to_u32))
    }
    fn insert(&mut self, n: &NewRow<'_>, at: &str) -> Result<()> {
        self.exec(
            "INSERT INTO wenshu_numbers (scheme, prefix, year, seq, number, doc_key, state, title, doc_date, reserved_at) VALUES ($1, $2, $3, $4, $5, $6, 'reserved', NULLIF($7, ''), NULLIF($8, ''), $9)",
            &[&n.scheme, &n.prefix, &n.year, &to_i32(n.seq), &n.number, &n.doc_key, &n.identity.title, &n.identity.date, &at],
        )
    }
    fn set_identity(&mut self, id: i64, identity: &Identity) -> Result<()> {
        self.exec(
            "UPDATE wenshu_numbers SET title = COALESCE(NULLIF($2, ''), title), doc_date = COALESCE(NULLIF($3, ''), doc_date) WHERE id = $1 AND state = 'reserved'",
            &[&id, &identity.title, &identity.date],
        )
    }
    fn commit(&mut self, id: i64, r: &DocRecord, at: &str) -> Result<()> {
        self.exec(
            "UPDATE wenshu_numbers SET state = 'committed', committed_at = $2,
                kind = COALESCE(NULLIF($3, ''), kind), title = COALESCE(NULLIF($4, ''), title),
                doc_date = COALESCE(NULLIF($5, ''), doc_date), classification = COALESCE(NULLIF($6, ''), classification),
                issuer = COALESCE(NULLIF($7, ''), issuer), output = COALESCE(NULLIF($8, ''), output),
                sha256 = COALESCE(NULLIF($9, ''), sha256)
             WHERE id = $1 AND state = 'reserved'",
            &[&id, &at, &r.kind, &r.title, &r.date, &r.classification, &r.issuer, &r.output, &r.sha256],
        )
    }
    fn void(&mut self, id: i64, reason: &str, at: &str) -> Result<()> {
        self.exec(
            "UPDATE wenshu_numbers SET state = 'void', reason = $2, voided_at = $3 WHERE id = $1 AND state <> 'void'",
            &[&id, &reason, &at],
        )
    }
    fn log_render(&mut self, scheme: &str, row: &Row, r: &DocRecord, at: &str) -> Result<()> {
        self.exec(
            "INSERT INTO wenshu_renders (scheme, number, doc_key, output, sha256, rendered_at) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&scheme, &row.number, &row.doc_key, &r.output, &r.sha256, &at],
        )
    }
}

/// Every number of a scheme and year, in order.
pub(super) fn entries(
    client: &mut Client,
    location: &str,
    scheme: &str,
    year: Option<i32>,
) -> Result<Vec<Entry>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM wenshu_numbers WHERE ($1 = '' OR scheme = $1) AND ($2::INTEGER IS NULL OR year = $2) ORDER BY scheme, year, prefix, seq"
    );
    let rows = client
        .query(&sql, &[&scheme, &year])
        .map_err(pg(location))?;
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
                voided_at: r.get(17),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_a_message() {
        assert_eq!(
            redact("postgres://wenshu:s3cret@db.example.gov.cn:5432/reg?sslmode=require"),
            "postgres://wenshu:***@db.example.gov.cn:5432/reg?sslmode=require"
        );
        assert_eq!(
            redact("postgresql://db/reg?user=a&password=s3cret&sslmode=require"),
            "postgresql://db/reg?user=a&password=***&sslmode=require"
        );
        assert_eq!(
            redact("host=db user=a password=s3cret dbname=reg"),
            "host=db user=a password=*** dbname=reg"
        );
        assert!(!redact("postgres://u:p%40ss@h/d").contains("p%40ss"));
    }

    #[test]
    fn libpq_tls_options_are_read_and_handed_on() {
        let (c, m, r) = tls_options("postgres://u@h/d?sslmode=verify-full&sslrootcert=/ca.pem")
            .expect("options");
        assert_eq!(
            (c.as_str(), m, r.as_deref()),
            (
                "postgres://u@h/d?sslmode=require",
                SslMode::VerifyFull,
                Some("/ca.pem")
            )
        );
        let (c, m, _) = tls_options("host=h sslmode=disable").expect("options");
        assert_eq!(
            (c.as_str(), m),
            ("host=h sslmode=disable", SslMode::Disable)
        );
        assert!(tls_options("postgres://h/d?sslmode=bogus").is_err());
        assert!(tls_options("postgres://h/d?sslcert=/c.pem").is_err());
    }
}
