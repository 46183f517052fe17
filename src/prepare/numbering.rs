//! Automatic heading numbers of the 正文 (§7.3.3): 一、 / （一） / 1. / （1）.

/// Chinese numerals up to 99, as used in 一、 and （一）.
pub fn chinese_numeral(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                D[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// The number for heading `level` (1–4) at position `n` (from 1).
pub fn heading_number(level: u8, n: u32) -> String {
    match level {
        1 => format!("{}、", chinese_numeral(n)),
        2 => format!("（{}）", chinese_numeral(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// Counts headings per level; a heading resets the levels below it.
#[derive(Debug, Default)]
pub struct Counter {
    counts: [u32; 4],
}

impl Counter {
    /// Advances `level` (1–4) and returns its automatic number.
    pub fn next(&mut self, level: u8) -> String {
        let i = usize::from(level.clamp(1, 4) - 1);
        self.counts[i] += 1;
        for c in &mut self.counts[i + 1..] {
            *c = 0;
        }
        heading_number(level, self.counts[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_level_and_resets() {
        let mut c = Counter::default();
        assert_eq!(c.next(1), "一、");
        assert_eq!(c.next(2), "（一）");
        assert_eq!(c.next(2), "（二）");
        assert_eq!(c.next(3), "1.");
        assert_eq!(c.next(4), "（1）");
        assert_eq!(c.next(1), "二、");
        assert_eq!(c.next(2), "（一）");
        assert_eq!(chinese_numeral(11), "十一");
        assert_eq!(chinese_numeral(20), "二十");
        assert_eq!(chinese_numeral(23), "二十三");
    }
}
