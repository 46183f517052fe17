//! The embedded Typst compiler: one [`Engine`] per process, one [`DocWorld`] per document.
//!
//! The engine owns what every document shares (the standard library, the fonts, the parsed
//! templates, `/spec.json`), so fonts are parsed once and Typst's memoisation carries across
//! documents. A document's data never becomes Typst source: it is served as `/data.json` and read
//! with `json(...)`, so `#`, `]`, `$` or `"` in a title print literally.

use std::collections::HashMap;
use std::path::Path;

use typst::diag::{FileError, FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::error::{Error, Result};
use crate::render::fonts::{FontOptions, Fonts};
use crate::render::templates;

/// Shared, immutable compilation context.
pub struct Engine {
    library: LazyHash<Library>,
    fonts: Fonts,
    sources: HashMap<FileId, Source>,
    templates: Vec<(String, String)>,
    spec: Bytes,
}

/// Engine configuration.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// Font sources.
    pub fonts: FontOptions,
    /// Directory overriding the embedded templates.
    pub templates: Option<std::path::PathBuf>,
}

fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| Error::Template(format!("{path}: {e:?}")))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

impl Engine {
    /// Loads fonts and templates.
    pub fn new(options: &EngineOptions) -> Result<Self> {
        // The word segmenter's dictionary (titles, 署名) loads while the fonts are read.
        std::thread::spawn(crate::prepare::words::warm_up);
        let fonts = Fonts::load(&options.fonts)?;
        let mut sources = HashMap::new();
        let mut texts = Vec::new();
        for (path, text) in templates::load(options.templates.as_deref())? {
            let id = file_id(&path)?;
            sources.insert(id, Source::new(id, text.clone()));
            texts.push((path, text));
        }
        texts.sort();
        let spec = serde_json::to_vec(&crate::gbt9704::spec_json())
            .map_err(|e| Error::Template(e.to_string()))?;
        Ok(Self {
            library: LazyHash::new(Library::default()),
            fonts,
            sources,
            templates: texts,
            spec: Bytes::new(spec),
        })
    }

    /// The template sources in use: (virtual path, text).
    pub fn templates(&self) -> &[(String, String)] {
        &self.templates
    }

    /// `/spec.json` as served to the templates.
    pub fn spec_json(&self) -> &[u8] {
        self.spec.as_slice()
    }

    /// The fonts.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Compiles the template whose entry is `main` (a virtual path) over `data` and `assets`.
    pub fn compile(
        &self,
        main: &str,
        data: &serde_json::Value,
        assets: &[(String, Vec<u8>)],
    ) -> Result<Compiled> {
        let main = file_id(main)?;
        if !self.sources.contains_key(&main) {
            return Err(Error::Template(format!("找不到模板入口 {main:?}")));
        }
        let data = serde_json::to_vec(data).map_err(|e| Error::Template(e.to_string()))?;
        let mut files = HashMap::new();
        files.insert(file_id("/data.json")?, Bytes::new(data));
        files.insert(file_id("/spec.json")?, self.spec.clone());
        for (path, bytes) in assets {
            files.insert(file_id(path)?, Bytes::new(bytes.clone()));
        }
        let world = DocWorld {
            engine: self,
            main,
            files,
        };
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let document = output.map_err(|errors| Error::Template(describe(&world, &errors)))?;
        Ok(Compiled {
            document,
            warnings: warnings.iter().map(|w| w.message.to_string()).collect(),
        })
    }
}

/// A compiled document and Typst's warnings.
pub struct Compiled {
    /// The laid-out pages.
    pub document: PagedDocument,
    /// Typst warnings (e.g. an unknown font family in an override template).
    pub warnings: Vec<String>,
}

fn describe(world: &DocWorld, errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| {
            let at = e.span.id().and_then(|id| {
                let src = world.source(id).ok()?;
                let range = world.range(e.span)?;
                let line = src.text()[..range.start].matches('\n').count() + 1;
                Some(format!("{:?}:{line}", id.vpath()))
            });
            match at {
                Some(at) => format!("{at}: {}", e.message),
                None => e.message.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

use typst::WorldExt;

/// One document's view of the engine.
struct DocWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    files: HashMap<FileId, Bytes>,
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.engine.fonts.store().book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.engine
            .sources
            .get(&id)
            .cloned()
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        self.engine
            .sources
            .get(&id)
            .map(|s| Bytes::from_string(s.clone()))
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.store().font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Dates come from the data, never from the clock: output is reproducible.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(Path::new(id.vpath().get_with_slash()).to_owned())
}
