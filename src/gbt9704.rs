//! Every number of GB/T 9704-2012 《党政机关公文格式》 that the engine uses, in one place.
//!
//! Each constant names its clause. Templates never hard-code a length: they read these values
//! from `/spec.json` (see [`spec_json`]), so a rule lives here and only here. Derived values
//! (line pitch, tracking) are computed from the clauses, with the model documented where chosen.

use serde_json::{Value, json};

/// Millimetres per PostScript point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;

/// Converts points to millimetres.
pub const fn pt_to_mm(pt: f64) -> f64 {
    pt * MM_PER_PT
}

/// Converts millimetres to points.
pub const fn mm_to_pt(mm: f64) -> f64 {
    mm / MM_PER_PT
}

// ---- §5.1 幅面 -------------------------------------------------------------------------------

/// A4 paper width (§5.1, GB/T 148).
pub const PAPER_WIDTH_MM: f64 = 210.0;
/// A4 paper height (§5.1, GB/T 148).
pub const PAPER_HEIGHT_MM: f64 = 297.0;

// ---- §5.2.1 页边与版心 ------------------------------------------------------------------------

/// 天头: white edge above the 版心 (§5.2.1, 37 mm ± 1 mm).
pub const TOP_MARGIN_MM: f64 = 37.0;
/// 订口: white edge on the binding side (§5.2.1, 28 mm ± 1 mm). Mirrored on even pages (§6.2 duplex).
pub const BINDING_MARGIN_MM: f64 = 28.0;
/// 版心 width (§5.2.1).
pub const TYPE_AREA_WIDTH_MM: f64 = 156.0;
/// 版心 height, page number excluded (§5.2.1).
pub const TYPE_AREA_HEIGHT_MM: f64 = 225.0;
/// 切口: white edge on the outer side (derived from §5.1 and §5.2.1: 210 − 28 − 156).
pub const OUTER_MARGIN_MM: f64 = PAPER_WIDTH_MM - BINDING_MARGIN_MM - TYPE_AREA_WIDTH_MM;
/// 地脚: white edge below the 版心 (derived: 297 − 37 − 225).
pub const BOTTOM_MARGIN_MM: f64 = PAPER_HEIGHT_MM - TOP_MARGIN_MM - TYPE_AREA_HEIGHT_MM;
/// y of the 版心 bottom edge from the paper top (derived: 262 mm).
pub const TYPE_AREA_BOTTOM_MM: f64 = TOP_MARGIN_MM + TYPE_AREA_HEIGHT_MM;

// ---- §5.2.2 字体字号 (Word sizes: 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt) --------------------------

/// 3号: the default size of every element (§5.2.2).
pub const SIZE_NO3_PT: f64 = 16.0;
/// 2号: the title (§7.3.1) and attachment titles (§7.3.7).
pub const SIZE_NO2_PT: f64 = 22.0;
/// 4号: 版记 (§7.4.2, §7.4.3) and page numbers (§7.5).
pub const SIZE_NO4_PT: f64 = 14.0;

// ---- §5.2.3 行数和字数 -------------------------------------------------------------------------

/// Lines on a full page (§5.2.3).
pub const LINES_PER_PAGE: u32 = 22;
/// Characters on a full line (§5.2.3).
pub const CHARS_PER_LINE: u32 = 28;

/// Character pitch: 28 characters fill the 156 mm 版心 exactly (§5.2.3 "撑满版心").
pub const CHAR_PITCH_MM: f64 = TYPE_AREA_WIDTH_MM / CHARS_PER_LINE as f64;

/// Letter-spacing that makes 3号 glyphs advance by [`CHAR_PITCH_MM`].
///
/// Typst omits the tracking after the last glyph of a text run, so a full line holds 28 glyphs
/// and 27 trackings; this value makes that fit in 156 mm (and 29 glyphs cannot), whether or not
/// the line ends a run. A small safety margin keeps float rounding from dropping to 27.
pub const TRACKING_PT: f64 = (mm_to_pt(TYPE_AREA_WIDTH_MM) - CHARS_PER_LINE as f64 * SIZE_NO3_PT)
    / (CHARS_PER_LINE as f64 - 1.0)
    - 0.002;

/// Line pitch, glyph-to-glyph model (§3.2, §5.2.3).
///
/// §3.2 defines a 行 as one character height plus 7/8 of a 3号 height, and §5.2.3 puts 22 of them
/// in 225 mm with the first glyph top on the 版心 top and the last glyph bottom on the 版心 bottom:
/// 21 pitches + 1 glyph = 225 mm, so the pitch is (225 mm − 16 pt) / 21 ≈ 29.61 pt (10.445 mm).
/// (Word's grid model, 225/22 = 28.99 pt, leaves the last line's glyph 4.4 mm above the edge.)
pub const LINE_PITCH_PT: f64 =
    (mm_to_pt(TYPE_AREA_HEIGHT_MM) - SIZE_NO3_PT) / (LINES_PER_PAGE as f64 - 1.0);
/// The white space between two lines of 3号 text under the pitch model (≈ 13.61 pt ≈ 7/8·16 pt).
///
/// A hair is taken off so that 22 lines fit the 版心 despite float rounding.
pub const LEADING_PT: f64 = LINE_PITCH_PT - SIZE_NO3_PT - 0.001;

/// Top of the glyph em box above the baseline, in em (the CJK ideographic em box: 0.88/−0.12).
///
/// Positions are measured on the em box, not on ink (§1.8 of the spec notes): every line box is
/// then exactly one em high whatever the font's own ascender says.
pub const EM_BOX_TOP: f64 = 0.88;
/// Bottom of the glyph em box below the baseline, in em.
pub const EM_BOX_BOTTOM: f64 = 0.12;

// ---- §6.2 印刷 --------------------------------------------------------------------------------

/// Red ink: Y80 % M80 % (§6.2), as CMYK percentages.
pub const RED_CMYK: [f64; 4] = [0.0, 80.0, 80.0, 0.0];

// ---- §7.2 版头 --------------------------------------------------------------------------------

/// 份号: six Arabic digits (§7.2.1).
pub const COPY_NUMBER_DIGITS: usize = 6;
/// 发文机关标志: top edge 35 mm below the 版心 top (§7.2.4), i.e. 72 mm from the paper top.
pub const ISSUER_MARK_TOP_MM: f64 = 35.0;
/// 发文机关标志 default glyph height. The standard leaves the size to the office (§7.2.4);
/// the 1999 edition capped it at 22 mm × 15 mm. 小标宋 at this size reads as the usual 红头.
pub const ISSUER_MARK_SIZE_PT: f64 = 42.0;
/// Narrowest horizontal scale used to fit a long 标志 before the size is reduced (§7.2.4 auto-fit).
pub const ISSUER_MARK_MIN_SCALE_X: f64 = 0.6;
/// Tallest stack of joint issuers' names in a 标志. §7.2.4 leaves the size to the office
/// ("醒目、美观、庄重"); the engine shrinks stacks of four or more names to this height so that
/// the 正文 still starts on page 1 (§7.3.5.5 首页显示正文).
pub const ISSUER_MARK_JOINT_MAX_HEIGHT_MM: f64 = 60.0;
/// Shorter stacks the engine tries, in order, when a joint 标志 still leaves no room on page 1
/// for the 正文 or keeps the 署名 from its text (§7.3.5.5); the office is told.
pub const ISSUER_MARK_JOINT_FALLBACK_HEIGHTS_MM: [f64; 2] = [40.0, 25.0];
/// The 标志 is never set smaller than the title (2号): it must stay the most prominent text.
pub const ISSUER_MARK_MIN_SIZE_PT: f64 = SIZE_NO2_PT;
/// 发文字号 sits two blank lines below the 标志 (§7.2.5 "空二行").
pub const DOC_NUMBER_GAP_LINES: u32 = 2;
/// Upward 发文字号 and 签发人 keep one character from the 版心 edge (§7.2.5, §7.2.6 "空一字").
pub const UPWARD_SIDE_INDENT_CHARS: u32 = 1;
/// 签发人 names per line (§7.2.6).
pub const SIGNERS_PER_LINE: usize = 2;
/// 版头分隔线: this far below the 发文字号 (§7.2.7).
pub const HEADER_RULE_GAP_MM: f64 = 4.0;
/// 版头分隔线 thickness. Not fixed by the standard (§7.2.7); 1.5 磅 is common practice.
pub const HEADER_RULE_THICKNESS_PT: f64 = 1.5;

// ---- §7.3 主体 --------------------------------------------------------------------------------

/// 标题: two blank lines below the red line (§7.3.1).
pub const TITLE_GAP_LINES: u32 = 2;
/// 主送机关: one blank line below the title (§7.3.2).
pub const RECIPIENTS_GAP_LINES: u32 = 1;
/// 正文 paragraphs are indented two characters (§7.3.3).
pub const PARAGRAPH_INDENT_CHARS: u32 = 2;
/// 附件说明: one blank line below the 正文, two characters in (§7.3.4).
pub const ATTACHMENT_NOTE_GAP_LINES: u32 = 1;
/// 附件说明 indent (§7.3.4 "左空二字").
pub const ATTACHMENT_NOTE_INDENT_CHARS: u32 = 2;
/// 成文日期 right indent when sealed (§7.3.5.1 "右空四字").
pub const SEALED_DATE_RIGHT_CHARS: u32 = 4;
/// Seal diameter used when the data gives none: 42 mm, the common size of an organ's seal.
pub const SEAL_DIAMETER_MM: f64 = 42.0;
/// Sealed 署名: the 署名 line sits two blank lines below the text, so the seal (centred on the
/// 署名 line top, i.e. 署名 and date in its lower half, "居印章中心偏下") starts within one line
/// of the text (§7.3.5.1 "上距正文一行之内").
pub const SEALED_SIGNATURE_GAP_LINES: u32 = 2;
/// Smallest gap between two seals in a row (§7.3.5.1 "互不相交或相切").
pub const SEAL_GAP_MM: f64 = 4.0;
/// §7.3.5.5 "当公文排版后所剩空白处不能容下印章或签发人签名章、成文日期时，可以采取调整行距、字距
/// 的措施解决": the leading factors tried on the last page of 正文 (and the tail that joins it),
/// loosest first. The last is the stated limit: a line pitch of about 26.9 pt (9.5 mm), 24 lines
/// to a page instead of 22.
pub const FLOW_TIGHT_LEADINGS: [f64; 2] = [0.9, 0.8];
/// When tightening is not enough, this many lines of 正文 (or the whole last paragraph when it
/// is shorter) go to the next page with the 附件说明 and 署名.
pub const FLOW_CARRY_LINES: usize = 2;
/// A page of 正文 before the 署名 page is filled at least this far down the 版心 (two-thirds:
/// 15 of 22 lines); when carrying leaves it shorter, lines move to it from the page before.
pub const FLOW_MIN_PAGE_FILL: f64 = 2.0 / 3.0;
/// Unsealed 署名: one blank line below the text, two characters from the right (§7.3.5.2).
pub const UNSEALED_SIGNATURE_GAP_LINES: u32 = 1;
/// Unsealed 署名 right indent (§7.3.5.2 "右空二字").
pub const UNSEALED_SIGNATURE_RIGHT_CHARS: u32 = 2;
/// Unsealed 成文日期 starts two characters right of the 署名 (§7.3.5.2 "右移二字").
pub const UNSEALED_DATE_SHIFT_CHARS: u32 = 2;
/// 附注: two characters in, on the line below the date (§7.3.6).
pub const NOTE_INDENT_CHARS: u32 = 2;
/// 附件 title on the third line of its page (§7.3.7).
pub const ATTACHMENT_TITLE_LINE: u32 = 3;

// ---- §7.4 版记 --------------------------------------------------------------------------------

/// First and last 版记 rules (§7.4.1, recommended 0.35 mm).
pub const COLOPHON_THICK_RULE_MM: f64 = 0.35;
/// Middle 版记 rules (§7.4.1, recommended 0.25 mm).
pub const COLOPHON_THIN_RULE_MM: f64 = 0.25;
/// 抄送 and 印发 keep one character from each side (§7.4.2, §7.4.3 "左右各空一字").
pub const COLOPHON_SIDE_CHARS: u32 = 1;

// ---- §7.5 页码 --------------------------------------------------------------------------------

/// The 一字线 of the page number is 7 mm below the 版心 bottom edge (§7.5); the engine puts the
/// top of the page-number em box there.
pub const PAGE_NUMBER_GAP_MM: f64 = 7.0;
/// Odd page numbers 右空一字, even ones 左空一字 (§7.5).
pub const PAGE_NUMBER_SIDE_CHARS: u32 = 1;

// ---- §10.1 信函格式 ---------------------------------------------------------------------------

/// 信函 标志: its top edge 30 mm from the paper's top edge (§10.1, not from the 版心).
pub const LETTER_MARK_TOP_FROM_PAPER_MM: f64 = 30.0;
/// The upper red double line lies 4 mm below the 标志 (§10.1).
pub const LETTER_RULE_GAP_MM: f64 = 4.0;
/// The lower red double line lies 20 mm above the paper's bottom edge (§10.1).
pub const LETTER_BOTTOM_RULE_FROM_PAPER_MM: f64 = 20.0;
/// Both double lines are 170 mm long, centred on the 版心 (§10.1).
pub const LETTER_RULE_LENGTH_MM: f64 = 170.0;
/// The thick stroke of a double line. §10.1 fixes only the order (上粗下细 above, 上细下粗
/// below), not the widths: these three are the engine's choice, kept as named values.
pub const LETTER_RULE_THICK_MM: f64 = 1.0;
/// The thin stroke of a double line (see [`LETTER_RULE_THICK_MM`]).
pub const LETTER_RULE_THIN_MM: f64 = 0.35;
/// Clear space between the two strokes of a double line.
pub const LETTER_RULE_SPACE_MM: f64 = 0.75;
/// 份号 / 发文字号 sit 7/8 of a 3号 character height below the upper double line (§10.1).
pub const LETTER_FIRST_LINE_GAP_EM: f64 = 7.0 / 8.0;

// ---- §10.2 命令（令）格式 ---------------------------------------------------------------------

/// 命令 标志: its top edge 20 mm below the 版心 top (§10.2).
pub const ORDER_MARK_TOP_MM: f64 = 20.0;
/// 令号 空二行 below the 标志 (§10.2).
pub const ORDER_NUMBER_GAP_LINES: u32 = 2;
/// 正文 空二行 below the 令号 (§10.2).
pub const ORDER_BODY_GAP_LINES: u32 = 2;

// ---- Tables (§8 leaves their type to the office) -----------------------------------------------

/// Smaller sizes the engine tries, in order, when a table's text overflows its cells at 4号:
/// 小四 (12 pt) and 5号 (10.5 pt). The office is told.
pub const TABLE_FALLBACK_SIZES_PT: [f64; 2] = [12.0, 10.5];

/// Everything above, as the JSON object templates read from `/spec.json`.
///
/// Lengths are plain numbers whose key says the unit (`_mm`, `_pt`), so a template writes
/// `spec.top_margin_mm * 1mm` and never a literal.
pub fn spec_json() -> Value {
    json!({
        "paper_width_mm": PAPER_WIDTH_MM,
        "paper_height_mm": PAPER_HEIGHT_MM,
        "top_margin_mm": TOP_MARGIN_MM,
        "bottom_margin_mm": BOTTOM_MARGIN_MM,
        "binding_margin_mm": BINDING_MARGIN_MM,
        "outer_margin_mm": OUTER_MARGIN_MM,
        "type_area_width_mm": TYPE_AREA_WIDTH_MM,
        "type_area_height_mm": TYPE_AREA_HEIGHT_MM,
        "size_no2_pt": SIZE_NO2_PT,
        "size_no3_pt": SIZE_NO3_PT,
        "size_no4_pt": SIZE_NO4_PT,
        "lines_per_page": LINES_PER_PAGE,
        "chars_per_line": CHARS_PER_LINE,
        "char_pitch_mm": CHAR_PITCH_MM,
        "tracking_pt": TRACKING_PT,
        "line_pitch_pt": LINE_PITCH_PT,
        "leading_pt": LEADING_PT,
        "em_box_top": EM_BOX_TOP,
        "em_box_bottom": EM_BOX_BOTTOM,
        "red_cmyk": RED_CMYK,
        "issuer_mark_top_mm": ISSUER_MARK_TOP_MM,
        "issuer_mark_size_pt": ISSUER_MARK_SIZE_PT,
        "issuer_mark_min_scale_x": ISSUER_MARK_MIN_SCALE_X,
        "issuer_mark_joint_max_height_mm": ISSUER_MARK_JOINT_MAX_HEIGHT_MM,
        "issuer_mark_min_size_pt": ISSUER_MARK_MIN_SIZE_PT,
        "doc_number_gap_lines": DOC_NUMBER_GAP_LINES,
        "upward_side_indent_chars": UPWARD_SIDE_INDENT_CHARS,
        "signers_per_line": SIGNERS_PER_LINE,
        "header_rule_gap_mm": HEADER_RULE_GAP_MM,
        "header_rule_thickness_pt": HEADER_RULE_THICKNESS_PT,
        "title_gap_lines": TITLE_GAP_LINES,
        "recipients_gap_lines": RECIPIENTS_GAP_LINES,
        "paragraph_indent_chars": PARAGRAPH_INDENT_CHARS,
        "attachment_note_gap_lines": ATTACHMENT_NOTE_GAP_LINES,
        "attachment_note_indent_chars": ATTACHMENT_NOTE_INDENT_CHARS,
        "sealed_date_right_chars": SEALED_DATE_RIGHT_CHARS,
        "seal_diameter_mm": SEAL_DIAMETER_MM,
        "sealed_signature_gap_lines": SEALED_SIGNATURE_GAP_LINES,
        "seal_gap_mm": SEAL_GAP_MM,
        "unsealed_signature_gap_lines": UNSEALED_SIGNATURE_GAP_LINES,
        "unsealed_signature_right_chars": UNSEALED_SIGNATURE_RIGHT_CHARS,
        "unsealed_date_shift_chars": UNSEALED_DATE_SHIFT_CHARS,
        "note_indent_chars": NOTE_INDENT_CHARS,
        "attachment_title_line": ATTACHMENT_TITLE_LINE,
        "colophon_thick_rule_mm": COLOPHON_THICK_RULE_MM,
        "colophon_thin_rule_mm": COLOPHON_THIN_RULE_MM,
        "colophon_side_chars": COLOPHON_SIDE_CHARS,
        "page_number_gap_mm": PAGE_NUMBER_GAP_MM,
        "page_number_side_chars": PAGE_NUMBER_SIDE_CHARS,
        "letter_mark_top_from_paper_mm": LETTER_MARK_TOP_FROM_PAPER_MM,
        "letter_rule_gap_mm": LETTER_RULE_GAP_MM,
        "letter_bottom_rule_from_paper_mm": LETTER_BOTTOM_RULE_FROM_PAPER_MM,
        "letter_rule_length_mm": LETTER_RULE_LENGTH_MM,
        "letter_rule_thick_mm": LETTER_RULE_THICK_MM,
        "letter_rule_thin_mm": LETTER_RULE_THIN_MM,
        "letter_rule_space_mm": LETTER_RULE_SPACE_MM,
        "letter_first_line_gap_em": LETTER_FIRST_LINE_GAP_EM,
        "order_mark_top_mm": ORDER_MARK_TOP_MM,
        "order_number_gap_lines": ORDER_NUMBER_GAP_LINES,
        "order_body_gap_lines": ORDER_BODY_GAP_LINES,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbt_5_2_3_twenty_two_lines_fill_the_type_area() {
        let used = LINES_PER_PAGE as f64 * SIZE_NO3_PT + (LINES_PER_PAGE as f64 - 1.0) * LEADING_PT;
        let area = mm_to_pt(TYPE_AREA_HEIGHT_MM);
        assert!(used <= area, "22 lines overflow: {used} > {area}");
        assert!(area - used < 0.05, "22 lines leave a gap: {}", area - used);
        // 23 lines never fit.
        assert!(used + LEADING_PT + SIZE_NO3_PT > area);
    }

    #[test]
    fn gbt_5_2_3_twenty_eight_characters_fill_a_line() {
        let area = mm_to_pt(TYPE_AREA_WIDTH_MM);
        let run_end = 28.0 * SIZE_NO3_PT + 27.0 * TRACKING_PT;
        let mid_run = 28.0 * (SIZE_NO3_PT + TRACKING_PT);
        assert!(run_end <= area && mid_run <= area);
        assert!(
            area - mid_run < 0.4,
            "a mid-run full line is within 0.14 mm of the 版心 width"
        );
        assert!(29.0 * (SIZE_NO3_PT + TRACKING_PT) > area);
    }

    #[test]
    fn derived_margins() {
        assert!((OUTER_MARGIN_MM - 26.0).abs() < 1e-9);
        assert!((BOTTOM_MARGIN_MM - 35.0).abs() < 1e-9);
        assert!((TYPE_AREA_BOTTOM_MM - 262.0).abs() < 1e-9);
    }
}
