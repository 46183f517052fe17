//! The registry's self-check: numbers never issued below the highest one (gaps), reservations
//! never committed (a crash, or a render that failed), and numbers whose dates run against their
//! order (5号 dated before 4号).

use serde::Serialize;

use super::Entry;

/// A later number dated before an earlier one of the same sequence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateOrder {
    /// The earlier number (lower sequence, later date).
    pub earlier: String,
    /// Its date.
    pub earlier_date: String,
    /// The later number (higher sequence, earlier date).
    pub later: String,
    /// Its date.
    pub later_date: String,
}

/// Findings of an audit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Audit {
    /// Sequences never issued below the highest one: (scheme, prefix, year, seq).
    pub gaps: Vec<(String, String, i32, u32)>,
    /// Every reservation not yet committed: (number, doc_key, reserved_at).
    pub open: Vec<(String, String, String)>,
    /// Open reservations older than the limit: (number, doc_key, reserved_at).
    pub stale: Vec<(String, String, String)>,
    /// Numbers out of date order.
    pub date_order: Vec<DateOrder>,
    /// Numbers on record, by state: (reserved, committed, void).
    pub counts: (usize, usize, usize),
}

impl Audit {
    /// Whether anything needs the office's attention (exit code 1 of `number audit`).
    pub fn has_problems(&self) -> bool {
        !self.gaps.is_empty() || !self.stale.is_empty() || !self.date_order.is_empty()
    }
}

/// Audits `entries` (ordered by scheme, year, prefix, seq) as of `now`.
pub fn audit(entries: &[Entry], max_age_days: i64, now: chrono::DateTime<chrono::Utc>) -> Audit {
    let mut audit = Audit::default();
    let cutoff = now - chrono::Duration::days(max_age_days);
    let mut i = 0;
    while i < entries.len() {
        let e = &entries[i];
        let group: Vec<&Entry> = entries[i..]
            .iter()
            .take_while(|x| x.scheme == e.scheme && x.prefix == e.prefix && x.year == e.year)
            .collect();
        let present: std::collections::BTreeSet<u32> = group.iter().map(|x| x.seq).collect();
        let max = present.iter().next_back().copied().unwrap_or(0);
        for seq in 1..=max {
            if !present.contains(&seq) {
                audit
                    .gaps
                    .push((e.scheme.clone(), e.prefix.clone(), e.year, seq));
            }
        }
        date_order(&group, &mut audit.date_order);
        i += group.len();
    }
    for e in entries {
        match e.state.as_str() {
            "reserved" => {
                audit.counts.0 += 1;
                let item = (e.number.clone(), e.doc_key.clone(), e.reserved_at.clone());
                if chrono::DateTime::parse_from_rfc3339(&e.reserved_at).is_ok_and(|t| t < cutoff) {
                    audit.stale.push(item.clone());
                }
                audit.open.push(item);
            }
            "committed" => audit.counts.1 += 1,
            _ => audit.counts.2 += 1,
        }
    }
    audit
}

/// Within one sequence, each dated number must not be dated before the latest-dated number
/// issued ahead of it. Void numbers and undated ones are left out.
fn date_order(group: &[&Entry], out: &mut Vec<DateOrder>) {
    let mut dated: Vec<(&Entry, chrono::NaiveDate)> = group
        .iter()
        .filter(|e| e.state != "void")
        .filter_map(|e| {
            crate::model::date::parse(&e.record.date)
                .ok()
                .map(|d| (*e, d))
        })
        .collect();
    dated.sort_by_key(|(e, _)| e.seq);
    let mut latest: Option<(&Entry, chrono::NaiveDate)> = None;
    for (e, d) in dated {
        match latest {
            Some((before, bd)) if d < bd => out.push(DateOrder {
                earlier: before.number.clone(),
                earlier_date: before.record.date.clone(),
                later: e.number.clone(),
                later_date: e.record.date.clone(),
            }),
            Some((_, bd)) if d <= bd => {}
            _ => latest = Some((e, d)),
        }
    }
}
