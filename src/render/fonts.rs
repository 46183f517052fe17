//! Fonts: the bundled Fandol set, the office's own fonts, and the role → font mapping.
//!
//! Templates never name a font family. They name a *role* (`wenshu-fangsong` …); this module
//! decides, once per process, which font plays each role and registers it under the role's
//! family name. Fandol files all report weight 400 (and the Bold files share a family with the
//! Regular ones), so the bundled fallback is chosen by file, never by weight. Fallback to other
//! fonts is switched off in the templates; [`crate::render::inspect`] reports missing glyphs.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo, FontStyle, FontWeight};
use typst_kit::fonts::{FontSource, FontStore};

use crate::error::{Error, Result};

/// A typographic role in a 公文 or form (GB/T 9704 §5.2.2, §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FontRole {
    /// 小标宋: 发文机关标志 and 标题.
    XiaoBiaoSong,
    /// 仿宋: the body and most elements.
    Fangsong,
    /// 楷体: 第二层标题, 签发人姓名.
    Kaiti,
    /// 黑体: 第一层标题, 密级, 紧急程度, 附件 label.
    Heiti,
    /// 宋体: 页码.
    Songti,
}

/// One bundled file.
struct Bundled {
    file: &'static str,
    data: &'static [u8],
}

static BUNDLED: [Bundled; 6] = [
    Bundled {
        file: "FandolFang-Regular.ttf",
        data: include_bytes!("../../fonts/FandolFang-Regular.ttf"),
    },
    Bundled {
        file: "FandolKai-Regular.ttf",
        data: include_bytes!("../../fonts/FandolKai-Regular.ttf"),
    },
    Bundled {
        file: "FandolHei-Regular.ttf",
        data: include_bytes!("../../fonts/FandolHei-Regular.ttf"),
    },
    Bundled {
        file: "FandolHei-Bold.ttf",
        data: include_bytes!("../../fonts/FandolHei-Bold.ttf"),
    },
    Bundled {
        file: "FandolSong-Regular.ttf",
        data: include_bytes!("../../fonts/FandolSong-Regular.ttf"),
    },
    Bundled {
        file: "FandolSong-Bold.ttf",
        data: include_bytes!("../../fonts/FandolSong-Bold.ttf"),
    },
];

impl FontRole {
    /// Every role, in report order.
    pub const ALL: [FontRole; 5] = [
        Self::XiaoBiaoSong,
        Self::Fangsong,
        Self::Kaiti,
        Self::Heiti,
        Self::Songti,
    ];

    /// The family name templates use for this role.
    pub fn family(self) -> &'static str {
        match self {
            Self::XiaoBiaoSong => "wenshu-xiaobiaosong",
            Self::Fangsong => "wenshu-fangsong",
            Self::Kaiti => "wenshu-kaiti",
            Self::Heiti => "wenshu-heiti",
            Self::Songti => "wenshu-songti",
        }
    }

    /// Chinese name.
    pub fn chinese(self) -> &'static str {
        match self {
            Self::XiaoBiaoSong => "小标宋",
            Self::Fangsong => "仿宋",
            Self::Kaiti => "楷体",
            Self::Heiti => "黑体",
            Self::Songti => "宋体",
        }
    }

    /// Parses a role from its Chinese or English name (for configuration).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| {
            r.chinese() == s || r.family() == s || r.family().trim_start_matches("wenshu-") == s
        })
    }

    /// Families an office usually has, best first (names as fonts report them, English and Chinese).
    pub fn preferred(self) -> &'static [&'static str] {
        match self {
            Self::XiaoBiaoSong => &[
                "方正小标宋简体",
                "FZXiaoBiaoSong-B05S",
                "方正小标宋_GBK",
                "FZXiaoBiaoSong-B05",
                "方正小标宋",
            ],
            Self::Fangsong => &[
                "仿宋_GB2312",
                "FangSong_GB2312",
                "方正仿宋_GBK",
                "FZFangSong-Z02",
                "仿宋",
                "FangSong",
            ],
            Self::Kaiti => &[
                "楷体_GB2312",
                "KaiTi_GB2312",
                "方正楷体_GBK",
                "FZKai-Z03",
                "楷体",
                "KaiTi",
            ],
            Self::Heiti => &["黑体", "SimHei", "方正黑体_GBK", "FZHei-B01"],
            Self::Songti => &["宋体", "SimSun", "方正书宋_GBK", "FZShuSong-Z01"],
        }
    }

    /// The bundled Fandol file that plays this role when the office has no font of its own.
    fn bundled_file(self) -> &'static str {
        match self {
            Self::XiaoBiaoSong => "FandolSong-Bold.ttf",
            Self::Fangsong => "FandolFang-Regular.ttf",
            Self::Kaiti => "FandolKai-Regular.ttf",
            Self::Heiti => "FandolHei-Regular.ttf",
            Self::Songti => "FandolSong-Regular.ttf",
        }
    }
}

/// Where the fonts come from.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Extra directories, scanned recursively (`--font-dir`, config `fonts.dirs`).
    pub dirs: Vec<PathBuf>,
    /// Whether to search the operating system's fonts.
    pub system: bool,
    /// Explicit role → family choices (config `fonts.roles`), tried before the preferred list.
    pub overrides: Vec<(FontRole, String)>,
}

/// A font source shared by its own slot and its role alias, so a file is parsed at most once.
#[derive(Clone)]
struct Shared(Arc<SharedInner>);

struct SharedInner {
    origin: Origin,
    font: OnceLock<Option<Font>>,
}

impl FontSource for Shared {
    fn load(&self) -> Option<Font> {
        self.0
            .font
            .get_or_init(|| match &self.0.origin {
                Origin::Bundled(_, font) => Some(font.clone()),
                Origin::File(path, index) => {
                    Font::new(Bytes::new(std::fs::read(path).ok()?), *index)
                }
            })
            .clone()
    }
}

#[derive(Clone)]
enum Origin {
    Bundled(&'static str, Font),
    File(PathBuf, u32),
}

/// How one role was resolved, for `wenshu fonts` and `--strict-fonts`.
#[derive(Debug, Clone)]
pub struct RoleResolution {
    /// The role.
    pub role: FontRole,
    /// The family that plays it.
    pub family: String,
    /// The file (or `内置 fonts/…` for a bundled one).
    pub source: String,
    /// True when none of the preferred office fonts was found and a bundled Fandol font is used.
    pub fell_back: bool,
}

impl fmt::Display for RoleResolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}\t{}\t{}{}",
            self.role.chinese(),
            self.family,
            self.source,
            if self.fell_back {
                "\t（未找到办公字体，使用内置字体）"
            } else {
                ""
            }
        )
    }
}

/// All fonts of the process, with the role aliases registered.
pub struct Fonts {
    store: FontStore,
    roles: Vec<RoleResolution>,
    sources: Vec<(FontRole, Shared)>,
}

struct Candidate {
    source: Shared,
    info: FontInfo,
}

impl Fonts {
    /// Loads the bundled fonts, scans the configured places, and resolves every role.
    pub fn load(options: &FontOptions) -> Result<Self> {
        let mut found: Vec<Candidate> = Vec::new();
        for b in &BUNDLED {
            for font in Font::iter(Bytes::new(b.data)) {
                let info = font.info().clone();
                found.push(Candidate {
                    source: Shared(Arc::new(SharedInner {
                        origin: Origin::Bundled(b.file, font),
                        font: OnceLock::new(),
                    })),
                    info,
                });
            }
        }
        let mut scanned = Vec::new();
        for dir in &options.dirs {
            if !dir.is_dir() {
                return Err(Error::Font(format!("字体目录 {} 不存在", dir.display())));
            }
            scanned.extend(typst_kit::fonts::scan(dir));
        }
        if options.system {
            scanned.extend(typst_kit::fonts::system());
        }
        for (path, info) in scanned {
            found.push(Candidate {
                source: Shared(Arc::new(SharedInner {
                    origin: Origin::File(path.path, path.index),
                    font: OnceLock::new(),
                })),
                info,
            });
        }

        let mut store = FontStore::new();
        for c in &found {
            store.push((c.source.clone(), c.info.clone()));
        }
        let mut roles = Vec::new();
        let mut sources = Vec::new();
        for role in FontRole::ALL {
            let wanted: Vec<&str> = options
                .overrides
                .iter()
                .filter(|(r, _)| *r == role)
                .map(|(_, f)| f.as_str())
                .chain(role.preferred().iter().copied())
                .collect();
            let pick = wanted
                .iter()
                .find_map(|family| best_of_family(&found, family));
            let (cand, fell_back) = match pick {
                Some(c) => (c, false),
                None => {
                    let c = found
                        .iter()
                        .find(|c| matches!(&c.source.0.origin, Origin::Bundled(f, _) if *f == role.bundled_file()))
                        .ok_or_else(|| Error::Font(format!("内置字体 {} 缺失", role.bundled_file())))?;
                    (c, true)
                }
            };
            let mut info = cand.info.clone();
            info.family = role.family().to_owned();
            store.push((cand.source.clone(), info));
            sources.push((role, cand.source.clone()));
            roles.push(RoleResolution {
                role,
                family: cand.info.family.clone(),
                source: match &cand.source.0.origin {
                    Origin::Bundled(f, _) => format!("内置 fonts/{f}"),
                    Origin::File(p, i) if *i > 0 => format!("{}#{i}", p.display()),
                    Origin::File(p, _) => p.display().to_string(),
                },
                fell_back,
            });
        }
        Ok(Self {
            store,
            roles,
            sources,
        })
    }

    /// The store backing `World::book` and `World::font`.
    pub fn store(&self) -> &FontStore {
        &self.store
    }

    /// How each role was resolved.
    pub fn roles(&self) -> &[RoleResolution] {
        &self.roles
    }

    /// The font playing `role` (its whole file's data is `font.data()`).
    pub fn role_font(&self, role: FontRole) -> Option<Font> {
        self.sources
            .iter()
            .find(|(r, _)| *r == role)
            .and_then(|(_, s)| s.load())
    }

    /// The roles that fell back to a bundled font.
    pub fn fallbacks(&self) -> Vec<&RoleResolution> {
        self.roles.iter().filter(|r| r.fell_back).collect()
    }
}

/// The regular, upright member of `family` (case-insensitive), if present.
fn best_of_family<'a>(found: &'a [Candidate], family: &str) -> Option<&'a Candidate> {
    found
        .iter()
        .filter(|c| c.info.family.eq_ignore_ascii_case(family))
        .min_by_key(|c| {
            let v = c.info.variant;
            let style = u16::from(v.style != FontStyle::Normal);
            // The office's own file wins over a bundled one of the same family.
            let bundled = matches!(c.source.0.origin, Origin::Bundled(..));
            (style, v.weight.distance(FontWeight::REGULAR), bundled)
        })
}

/// Whether `path` is one of the bundled font files (used by tests).
pub fn is_bundled(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| BUNDLED.iter().any(|b| b.file == n))
}
