//! The report as one self-contained HTML file: styles inline in the head, no script, no
//! image, nothing fetched from a network; every text escaped.

use std::fmt::Write;

use super::{CitationView, Report};
use crate::i18n::Lang;
use crate::rules::Status;

/// Text made safe inside HTML elements and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push_str("&#xFFFD;"),
            c => out.push(c),
        }
    }
    out
}

/// Only web and mail addresses become links: a `javascript:` URL in a pack stays text.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

const STYLE: &str = "
body{font-family:'DejaVu Sans','Noto Sans CJK SC','Noto Sans SC',sans-serif;font-size:10.5pt;color:#111;max-width:50em;margin:2em auto;padding:0 1em;line-height:1.4}
h1{font-size:16pt;margin:0 0 .4em}
h2{font-size:12.5pt;margin:1.4em 0 .4em;border-bottom:1px solid #999}
h3{font-size:11pt;margin:1em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.3em 0}
th,td{border:1px solid #bbb;padding:.25em .45em;text-align:left;vertical-align:top}
th{background:#eee}
table.header th{width:28%;font-weight:normal;background:#f4f4f4}
.verdict{font-size:13pt;font-weight:bold;padding:.4em .6em;border:2px solid #333;margin:.6em 0}
.warning{border-left:4px solid #b00;padding:.2em .6em;margin:.4em 0}
.s-required{color:#8a4b00;font-weight:bold}.s-prohibited{color:#b00000;font-weight:bold}
.s-review{color:#00538a;font-weight:bold}.s-not_required{color:#2a6a2a}
.finding{margin:.5em 0 .8em 1em}
.pre{white-space:pre-wrap}
.mono{font-family:'DejaVu Sans Mono',monospace;word-break:break-all}
.signature{margin-top:2.5em;border-top:1px solid #333;width:60%;padding-top:.2em}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}.finding{break-inside:avoid}}
";

fn status_span(status: Status, text: &str) -> String {
    format!(
        "<span class=\"s-{}\">{}</span>",
        status.as_str(),
        escape(text)
    )
}

fn citation_html(citation: &CitationView) -> String {
    match &citation.url {
        Some(url) if safe_url(url) => format!(
            "{} <a href=\"{}\">{}</a>",
            escape(&citation.text),
            escape(url),
            escape(url)
        ),
        Some(url) => format!("{} {}", escape(&citation.text), escape(url)),
        None => escape(&citation.text),
    }
}

/// The whole HTML document.
pub fn render(report: &Report) -> String {
    let w = &report.words;
    let mut out = String::with_capacity(16 * 1024);
    let lang = match report.lang {
        Lang::En => "en",
        Lang::Zh => "zh-Hans",
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&report.title),
        escape(&report.title)
    );
    out.push_str("<table class=\"header\">\n");
    for (label, value) in &report.header {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td class=\"pre\">{}</td></tr>",
            escape(label),
            escape(value)
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(
        out,
        "<div class=\"verdict\">{}: {}</div>",
        escape(&w.verdict),
        status_span(report.overall, &report.verdict)
    );
    for warning in &report.warnings {
        let _ = writeln!(out, "<p class=\"warning\">{}</p>", escape(warning));
    }
    for line in &report.record {
        let _ = writeln!(out, "<p>{}</p>", escape(line));
    }

    let _ = writeln!(out, "<h2>{}</h2>", escape(&w.summary));
    let _ = writeln!(
        out,
        "<table class=\"summary\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        escape(&w.obligation),
        escape(&w.jurisdiction),
        escape(&w.regime),
        escape(&w.status),
        escape(&w.who_must_act)
    );
    for row in &report.summary {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.obligation),
            escape(&row.jurisdiction),
            escape(&row.regime),
            status_span(row.status, &row.status_text),
            escape(&row.who_must_act)
        );
    }
    out.push_str("</table>\n");

    let _ = writeln!(out, "<h2>{}</h2>", escape(&w.findings));
    for line in &report.lines {
        let _ = writeln!(
            out,
            "<h3>{} {}: {} — {}</h3>",
            escape(&w.line),
            line.number,
            escape(&line.title),
            status_span(line.status, &line.status_text)
        );
        if !line.detail.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(&line.detail));
        }
        if line.findings.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(&w.no_findings));
        }
        for finding in line.findings.iter() {
            let _ = writeln!(
                out,
                "<div class=\"finding\"><p><b>{}</b>: {} ({}: {}; {}: {})</p>",
                escape(&finding.heading),
                status_span(finding.status, &finding.status_text),
                escape(&w.who_must_act),
                escape(&finding.who_must_act),
                escape(&w.confidence),
                escape(&finding.confidence)
            );
            if !finding.reasons.is_empty() {
                let _ = writeln!(out, "<p>{}</p><ol>", escape(&w.reasons));
                for reason in &finding.reasons {
                    let _ = writeln!(out, "<li>{}</li>", escape(reason));
                }
                out.push_str("</ol>\n");
            }
            if !finding.citations.is_empty() {
                let _ = writeln!(out, "<p>{}</p><ul>", escape(&w.sources));
                for citation in &finding.citations {
                    let _ = writeln!(out, "<li>{}</li>", citation_html(citation));
                }
                out.push_str("</ul>\n");
            }
            for user_pack in &finding.user_packs {
                let _ = writeln!(out, "<p class=\"user-pack\">{}</p>", escape(user_pack));
            }
            out.push_str("</div>\n");
        }
    }

    let _ = writeln!(out, "<h2>{}</h2>", escape(&w.documents));
    if report.documents.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&w.no_documents));
    } else {
        out.push_str("<table class=\"documents\">\n");
        for row in &report.documents {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if row.held { "☑" } else { "☐" },
                escape(&row.documents),
                escape(&format!("{} · {}", row.jurisdiction, row.obligation)),
                escape(if row.held { &w.held } else { &w.missing })
            );
        }
        out.push_str("</table>\n");
    }

    let _ = writeln!(out, "<h2>{}</h2>", escape(&w.gaps));
    if report.gaps.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&w.no_gaps));
    } else {
        out.push_str("<ul>\n");
        for gap in &report.gaps {
            let source = gap
                .citation
                .as_ref()
                .map(|c| format!("<br>{}", citation_html(c)))
                .unwrap_or_default();
            let _ = writeln!(out, "<li>{}{source}</li>", escape(&gap.summary));
        }
        out.push_str("</ul>\n");
    }

    let _ = writeln!(out, "<h2>{}</h2>", escape(&w.notes));
    if report.notes.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", escape(&w.none));
    } else {
        out.push_str("<ul>\n");
        for note in &report.notes {
            let source = note
                .citation
                .as_ref()
                .map(|c| format!("<br>{}", citation_html(c)))
                .unwrap_or_default();
            let _ = writeln!(out, "<li>{}{source}</li>", escape(&note.text));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<h2>{}</h2>", escape(&w.officer_notes));
    let officer_notes = if report.officer_notes.trim().is_empty() {
        &w.none
    } else {
        &report.officer_notes
    };
    let _ = writeln!(out, "<p class=\"pre\">{}</p>", escape(officer_notes));

    out.push_str("<table class=\"header\">\n");
    for (label, value, class) in [
        (&w.data_version, &report.data_version, ""),
        (&w.packs, &report.packs.join("\n"), ""),
        (&w.app_version, &report.app_version, ""),
        (&w.digest, &report.digest, " mono"),
    ] {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td class=\"pre{class}\">{}</td></tr>",
            escape(label),
            escape(value)
        );
    }
    out.push_str("</table>\n");
    let _ = writeln!(
        out,
        "<p class=\"signature\">{}</p>\n</body>\n</html>",
        escape(&w.signature)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_only_web_links_are_links() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>\u{1b}"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;&#xFFFD;"
        );
        assert!(safe_url("https://example.org/a"));
        assert!(!safe_url("javascript:alert(1)"));
        let link = citation_html(&CitationView {
            text: "Act".into(),
            url: Some("javascript:alert(1)".into()),
        });
        assert!(!link.contains("<a "), "{link}");
    }
}
