//! Notes on the whole shipment, as sentences.

use super::{Lang, Names, field_label};
use crate::rules::model::trim_number;
use crate::rules::{Catalogue, Note};

/// A note on the shipment as a sentence.
pub fn note_text(note: &Note, catalogue: &Catalogue, lang: Lang) -> String {
    let n = Names::new(catalogue, lang);
    let zh = lang == Lang::Zh;
    match note {
        Note::Duty {
            duty,
            rate_percent,
            from,
            ..
        } => {
            let entry = catalogue.duties.iter().find(|d| &d.id == duty);
            let name = entry.map_or_else(
                || duty.to_string(),
                |d| lang.pick(&d.name_en, &d.name_zh).to_owned(),
            );
            let detail = entry
                .and_then(|d| d.rates.iter().find(|r| r.from == *from))
                .map(|r| lang.pick(&r.note_en, &r.note_zh).to_owned())
                .unwrap_or_default();
            if zh {
                format!(
                    "{name}：自{from}起税率{}%。{detail}",
                    trim_number(*rate_percent)
                )
            } else {
                format!(
                    "{name}: {} % for entries from {from}. {detail}",
                    trim_number(*rate_percent)
                )
            }
        }
        Note::Rule { note, .. } => catalogue.notes.iter().find(|n| &n.id == note).map_or_else(
            || note.to_string(),
            |n| lang.pick(&n.text_en, &n.text_zh).to_owned(),
        ),
        Note::Gap { gap } => {
            if zh {
                format!("已知数据缺口：{}", n.gap(gap))
            } else {
                format!("Known gap: {}", n.gap(gap))
            }
        }
        Note::NoLines => {
            if zh {
                "货物没有任何明细。".to_owned()
            } else {
                "The shipment has no lines.".to_owned()
            }
        }
        Note::UnknownCountry { field, code } => {
            let field = field_label(*field, lang);
            if zh {
                format!("{field}：国家代码“{code}”不是ISO 3166-1代码。")
            } else {
                format!("{field}: the country code '{code}' is not an ISO 3166-1 code.")
            }
        }
        Note::Domestic { country } => {
            if zh {
                format!(
                    "原产国与目的国均为{}：本工具只评估跨境货物，国内交易规定未收录。",
                    n.country(country)
                )
            } else {
                format!(
                    "Origin and destination are both {}: only international shipments are assessed; domestic rules are not on file.",
                    n.country(country)
                )
            }
        }
        Note::TransitNoRules { country } => {
            if zh {
                format!("过境国{}的规定未收录。", n.country(country))
            } else {
                format!(
                    "The rules of the transit country {} are not on file.",
                    n.country(country)
                )
            }
        }
    }
}
