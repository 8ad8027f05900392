//! The report as PDF: typst markup made from the report, compiled by the typst library in
//! memory (no file, package or network access: the world holds one source and the bundled
//! fonts), exported by `typst-pdf`, which subsets and embeds the fonts it uses.
//!
//! User text never becomes markup: every text goes in as a typst string literal
//! (`#"...";`), so a consignee named `#set page(...)` or `*` prints as typed.

use std::fmt::Write;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, Severity};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::{CitationView, Report};
use crate::assets;
use crate::i18n::Lang;
use crate::rules::Status;

pub use super::PdfError;

/// A typst string literal holding `text` exactly: backslashes, quotes and every control
/// character are escaped, so nothing in it is read as markup or code.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as a piece of markup that prints it literally. The `;` ends the expression, so what
/// follows (a `(`, a `[`, a `.`) is not read as a call or a field of the string.
fn lit(text: &str) -> String {
    format!("#{};", string_literal(text))
}

fn status_fill(status: Status) -> &'static str {
    match status {
        Status::Prohibited => "rgb(\"#b00000\")",
        Status::Required => "rgb(\"#8a4b00\")",
        Status::Review => "rgb(\"#00538a\")",
        Status::NotRequired => "rgb(\"#2a6a2a\")",
    }
}

fn status_markup(status: Status, text: &str) -> String {
    format!(
        "#text(fill: {}, weight: \"bold\", {})",
        status_fill(status),
        string_literal(text)
    )
}

fn citation_markup(citation: &CitationView) -> String {
    let mut out = lit(&citation.text);
    if let Some(url) = &citation.url {
        let lower = url.trim().to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            let _ = write!(
                out,
                " #link({}, {})",
                string_literal(url.trim()),
                string_literal(url.trim())
            );
        } else {
            let _ = write!(out, " {}", lit(url));
        }
    }
    out
}

/// The typst source of a report.
pub fn markup(report: &Report) -> String {
    let w = &report.words;
    let mut out = String::with_capacity(32 * 1024);
    let (lang, fonts) = match report.lang {
        Lang::En => ("en", "(\"DejaVu Sans\", \"Noto Sans CJK SC\")"),
        Lang::Zh => ("zh", "(\"DejaVu Sans\", \"Noto Sans CJK SC\")"),
    };
    let reference = report
        .header
        .first()
        .map(|(_, value)| value.as_str())
        .unwrap_or_default();
    let (before, rest) = w.page.split_once("{page}").unwrap_or((&w.page, ""));
    let (between, after) = rest.split_once("{pages}").unwrap_or((rest, ""));
    let _ = writeln!(
        out,
        "#set document(title: {title})\n\
         #set text(font: {fonts}, size: 9.5pt, lang: \"{lang}\")\n\
         #set page(paper: \"a4\", margin: (x: 1.8cm, top: 1.8cm, bottom: 2.2cm), footer: context [\n\
         #set text(size: 8pt, fill: luma(90))\n\
         {reference} #h(1fr) {before}#counter(page).display(){between}#counter(page).final().first(){after}\n\
         ])\n\
         #set par(justify: false, leading: 0.55em)\n\
         #set heading(numbering: none)\n\
         #show heading.where(level: 1): set text(size: 15pt)\n\
         #show heading.where(level: 2): it => block(above: 1.2em, below: 0.6em, width: 100%, stroke: (bottom: 0.5pt + luma(120)), inset: (bottom: 3pt), text(size: 11.5pt, it.body))\n\
         #show heading.where(level: 3): set text(size: 10pt)\n\
         #show link: set text(fill: rgb(\"#1a4fa0\"))\n\
         #set table(stroke: 0.5pt + luma(170), inset: 4pt)\n",
        title = string_literal(&report.title),
        reference = lit(reference),
        before = lit(before),
        between = lit(between),
        after = lit(after),
    );
    let _ = writeln!(out, "= {}\n", lit(&report.title));

    out.push_str("#table(columns: (30%, 70%),\n");
    for (label, value) in &report.header {
        let _ = writeln!(out, "  [{}], [{}],", lit(label), lit(value));
    }
    out.push_str(")\n\n");
    let _ = writeln!(
        out,
        "#block(stroke: 1.5pt + luma(40), inset: 7pt, width: 100%)[#text(size: 12pt)[{}: {}]]\n",
        lit(&w.verdict),
        status_markup(report.overall, &report.verdict)
    );
    for warning in &report.warnings {
        let _ = writeln!(
            out,
            "#block(stroke: (left: 3pt + rgb(\"#b00000\")), inset: (left: 6pt, y: 3pt))[{}]\n",
            lit(warning)
        );
    }
    for line in &report.record {
        let _ = writeln!(out, "{}\n", lit(line));
    }

    let _ = writeln!(out, "== {}\n", lit(&w.summary));
    let _ = writeln!(
        out,
        "#table(columns: (20%, 12%, 1fr, 13%, 18%), table.header([*{}*], [*{}*], [*{}*], [*{}*], [*{}*]),",
        lit(&w.obligation),
        lit(&w.jurisdiction),
        lit(&w.regime),
        lit(&w.status),
        lit(&w.who_must_act)
    );
    for row in &report.summary {
        let _ = writeln!(
            out,
            "  [{}], [{}], [{}], [{}], [{}],",
            lit(&row.obligation),
            lit(&row.jurisdiction),
            lit(&row.regime),
            status_markup(row.status, &row.status_text),
            lit(&row.who_must_act)
        );
    }
    out.push_str(")\n\n");

    let _ = writeln!(out, "== {}\n", lit(&w.findings));
    for line in &report.lines {
        let _ = writeln!(
            out,
            "=== {} {}: {} — {}\n",
            lit(&w.line),
            line.number,
            lit(&line.title),
            status_markup(line.status, &line.status_text)
        );
        if !line.detail.is_empty() {
            let _ = writeln!(out, "{}\n", lit(&line.detail));
        }
        if line.findings.is_empty() {
            let _ = writeln!(out, "{}\n", lit(&w.no_findings));
        }
        for finding in line.findings.iter() {
            let _ = writeln!(
                out,
                "#block(inset: (left: 8pt), below: 0.9em)[\n*{}*: {} ({}: {}; {}: {})\n",
                lit(&finding.heading),
                status_markup(finding.status, &finding.status_text),
                lit(&w.who_must_act),
                lit(&finding.who_must_act),
                lit(&w.confidence),
                lit(&finding.confidence)
            );
            if !finding.reasons.is_empty() {
                let _ = writeln!(out, "{}", lit(&w.reasons));
                out.push_str("#enum(\n");
                for reason in &finding.reasons {
                    let _ = writeln!(out, "  [{}],", lit(reason));
                }
                out.push_str(")\n");
            }
            if !finding.citations.is_empty() {
                let _ = writeln!(out, "{}", lit(&w.sources));
                out.push_str("#list(\n");
                for citation in &finding.citations {
                    let _ = writeln!(out, "  [{}],", citation_markup(citation));
                }
                out.push_str(")\n");
            }
            for user_pack in &finding.user_packs {
                let _ = writeln!(out, "{}\n", lit(user_pack));
            }
            out.push_str("]\n");
        }
    }

    let _ = writeln!(out, "== {}\n", lit(&w.documents));
    if report.documents.is_empty() {
        let _ = writeln!(out, "{}\n", lit(&w.no_documents));
    } else {
        out.push_str("#table(columns: (auto, 1fr, auto, auto),\n");
        for row in &report.documents {
            let _ = writeln!(
                out,
                "  [{}], [{}], [{}], [{}],",
                lit(if row.held { "☑" } else { "☐" }),
                lit(&row.documents),
                lit(&format!("{} · {}", row.jurisdiction, row.obligation)),
                lit(if row.held { &w.held } else { &w.missing })
            );
        }
        out.push_str(")\n\n");
    }

    let _ = writeln!(out, "== {}\n", lit(&w.gaps));
    if report.gaps.is_empty() {
        let _ = writeln!(out, "{}\n", lit(&w.no_gaps));
    } else {
        out.push_str("#list(\n");
        for gap in &report.gaps {
            let source = gap
                .citation
                .as_ref()
                .map(|c| format!(" \\ {}", citation_markup(c)))
                .unwrap_or_default();
            let _ = writeln!(out, "  [{}{source}],", lit(&gap.summary));
        }
        out.push_str(")\n\n");
    }

    let _ = writeln!(out, "== {}\n", lit(&w.notes));
    if report.notes.is_empty() {
        let _ = writeln!(out, "{}\n", lit(&w.none));
    } else {
        out.push_str("#list(\n");
        for note in &report.notes {
            let source = note
                .citation
                .as_ref()
                .map(|c| format!(" \\ {}", citation_markup(c)))
                .unwrap_or_default();
            let _ = writeln!(out, "  [{}{source}],", lit(&note.text));
        }
        out.push_str(")\n\n");
    }
    let _ = writeln!(out, "== {}\n", lit(&w.officer_notes));
    let officer_notes = if report.officer_notes.trim().is_empty() {
        &w.none
    } else {
        &report.officer_notes
    };
    let _ = writeln!(out, "{}\n", lit(officer_notes));

    out.push_str("#v(0.8em)\n#table(columns: (30%, 70%),\n");
    for (label, value) in [
        (&w.data_version, &report.data_version),
        (&w.packs, &report.packs.join("\n")),
        (&w.app_version, &report.app_version),
    ] {
        let _ = writeln!(out, "  [{}], [{}],", lit(label), lit(value));
    }
    // The digest is one long word: small enough to stay on one line of the column.
    let _ = writeln!(
        out,
        "  [{}], [#text(size: 7.5pt, {})],",
        lit(&w.digest),
        string_literal(&report.digest)
    );
    out.push_str(")\n\n");
    let _ = writeln!(
        out,
        "#v(2.5em)\n#line(length: 60%, stroke: 0.5pt)\n#text(size: 8.5pt, {})",
        string_literal(&w.signature)
    );
    out
}

/// The fonts every report may use, parsed once.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = [
            assets::DEJAVU_SANS,
            assets::DEJAVU_SANS_BOLD,
            assets::NOTO_SANS_SC,
        ]
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

/// One report's world: its source and the bundled fonts, nothing else.
struct ReportWorld {
    source: Source,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The report is a function of its input: no clock.
        None
    }
}

/// The PDF of a report.
pub fn render(report: &Report) -> Result<Vec<u8>, PdfError> {
    let world = ReportWorld {
        source: Source::detached(markup(report)),
    };
    let compiled = typst::compile::<typst_layout::PagedDocument>(&world);
    let document = compiled.output.map_err(|errors| PdfError {
        message: errors
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| PdfError {
        message: errors
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_what_typst_would_read() {
        assert_eq!(string_literal("plain"), "\"plain\"");
        assert_eq!(
            string_literal("a \"b\" \\c\nd\te\u{1b}"),
            "\"a \\\"b\\\" \\\\c\\nd\\te\\u{1b}\""
        );
        // Markup characters stay as they are: inside a string they mean nothing.
        assert_eq!(string_literal("#set *_$@<>"), "\"#set *_$@<>\"");
        assert_eq!(lit("x"), "#\"x\";");
    }
}
