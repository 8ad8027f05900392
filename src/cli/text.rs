//! The text of `check`: for people, verdict first, then reasons and citations.

use crate::i18n::{
    Lang, Names, Text, citation_text, counted, note_text, obligation_label, party_label,
    read_as_title, reason_text, status_label, tr, verdict_headline,
};
use crate::rules::{Assessment, Catalogue, Resolution, Shipment, Status};

pub fn assessment(
    catalogue: &Catalogue,
    shipment: &Shipment,
    assessment: &Assessment,
    lang: Lang,
) -> String {
    let names = Names::new(catalogue, lang);
    let mut out = Lines::default();
    out.push(format!(
        "{}: {} - {}",
        tr(Text::VerdictHeading, lang),
        status_label(assessment.overall, lang).to_uppercase(),
        verdict_headline(assessment.overall, lang)
    ));
    let review = assessment
        .findings()
        .filter(|f| f.status == Status::Review)
        .count();
    if review > 0 && assessment.overall != Status::Review {
        out.push(format!(
            "         {} {}",
            tr(Text::And, lang),
            counted(
                review,
                Text::FindingNeedsReview,
                Text::FindingsNeedReview,
                lang
            )
        ));
    }
    let route: Vec<String> = std::iter::once(&shipment.origin)
        .chain(&shipment.transit)
        .chain(std::iter::once(&shipment.destination))
        .map(|code| names.country(code))
        .collect();
    out.push(format!(
        "{} {} | {} {} | {}",
        tr(Text::AsOf, lang),
        assessment.as_of,
        tr(Text::DataVersion, lang),
        assessment.data_version,
        route.join(" -> ")
    ));

    for (index, line) in assessment.lines.iter().enumerate() {
        out.blank();
        let title = match (
            read_as_title(line, |id| names.chemical(id), lang),
            &line.resolution,
        ) {
            (Some(salt), _) => salt,
            (None, Resolution::Found { chemical, .. }) => {
                let cas: Vec<String> = catalogue
                    .chemical(chemical)
                    .map(|c| c.cas.iter().map(|r| r.number.clone()).collect())
                    .unwrap_or_default();
                if cas.is_empty() {
                    names.chemical(chemical)
                } else {
                    format!("{} (CAS {})", names.chemical(chemical), cas.join(", "))
                }
            }
            (None, Resolution::UnlistedCas { cas }) => {
                format!("CAS {cas} ({})", tr(Text::CasNotOnFile, lang))
            }
            (None, _) => format!("'{}' ({})", line.input, tr(Text::NotIdentified, lang)),
        };
        out.push(format!(
            "{} {}: {title} - {}",
            tr(Text::Line, lang),
            index + 1,
            status_label(line.status, lang)
        ));
        for finding in line.findings.iter() {
            let regime = if finding.regime.is_empty() {
                String::new()
            } else {
                format!(" - {}", names.regime(&finding.regime))
            };
            out.push(format!(
                "  [{}] {} {} ({}){regime}",
                status_label(finding.status, lang).to_uppercase(),
                finding.jurisdiction,
                obligation_label(finding.obligation, lang),
                party_label(finding.party, lang),
            ));
            for reason in &finding.reasons {
                out.push(format!("      - {}", reason_text(reason, catalogue, lang)));
            }
            for citation in &finding.citations {
                out.push(format!(
                    "      {}: {}",
                    tr(Text::Source, lang),
                    citation_text(citation, lang)
                ));
            }
            for source in catalogue.user_sources(line, finding) {
                out.push(format!(
                    "      {}",
                    crate::i18n::user_source_text(&source, lang)
                ));
            }
        }
    }
    if !assessment.documents.is_empty() {
        out.blank();
        out.push(format!("{}:", tr(Text::DocumentChecklist, lang)));
        for need in &assessment.documents {
            let names: Vec<String> = need
                .alternatives
                .iter()
                .map(|id| names.document(id))
                .collect();
            let mark = if need.held { "x" } else { " " };
            out.push(format!(
                "  [{mark}] {} ({} {})",
                names.join(&format!(" {} ", tr(Text::Or, lang))),
                need.jurisdiction,
                obligation_label(need.obligation, lang)
            ));
        }
    }
    if !assessment.notes.is_empty() {
        out.blank();
        out.push(format!("{}:", tr(Text::Notes, lang)));
        for note in &assessment.notes {
            out.push(format!("  - {}", note_text(note, catalogue, lang)));
        }
    }
    out.text()
}

/// Text output built line by line. Every line is made safe for a terminal: what comes from
/// files (a chemical name, a typed value) cannot move the cursor, clear the screen or start
/// a line of its own.
#[derive(Default)]
struct Lines(Vec<String>);

impl Lines {
    fn push(&mut self, line: String) {
        self.0.push(super::terminal_safe(&line));
    }

    fn blank(&mut self) {
        self.0.push(String::new());
    }

    fn text(&self) -> String {
        self.0.join("\n").trim_end().to_owned()
    }
}
