//! The Chinese window and reports show no English: every golden case's reasons and notes, and
//! every input problem and field name, rendered in Chinese, contain no English word that is
//! not a name, code or citation from the rule content.

#![allow(clippy::unwrap_used)]
use chrono::NaiveDate;
use precursor_desk::data::{embedded_catalogue, embedded_packs};
use precursor_desk::i18n::{Lang, field_label, input_problem_text, note_text, reason_text};
use precursor_desk::rules::{
    self, Amount, FieldId, Form, InputProblem, Note, Shipment, ShipmentLine,
};
use serde::Deserialize;

/// The golden cases, read loosely: only the shipment matters here.
#[derive(Deserialize)]
struct Case {
    name: String,
    shipment: ShipmentSpec,
    #[serde(default)]
    as_of: Option<NaiveDate>,
}

#[derive(Deserialize)]
struct ShipmentSpec {
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    transit: Vec<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
    lines: Vec<LineSpec>,
}

#[derive(Deserialize)]
struct LineSpec {
    chemical: String,
    #[serde(default)]
    form: Form,
    #[serde(default)]
    concentration: Option<f64>,
    #[serde(default)]
    quantity: Option<Amount>,
}

/// Words that are codes or units, not English prose.
const CODES: &[&str] = &[
    "CAS", "HS", "ISO", "YYYY", "MM", "DD", "UTC", "kg", "mL", "gal", "PEN", "DEA", "UN", "US",
    "EU", "CN", "MX", "CA", "COFEPRIS", "MOFCOM", "SISUS",
];

/// Every string of the rule content: names, scopes, actions, summaries, citations. A
/// Chinese text may quote them (a chemical with no Chinese name shows its English one).
fn content_strings() -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(text) => out.push(text.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(fields) => fields.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (_, pack) in embedded_packs().unwrap() {
        walk(&serde_json::to_value(&pack).unwrap(), &mut out);
    }
    // A text quoted inside content ("'d) Efedrina'; with its salts ...") is content too: the
    // Chinese window keeps the quotation and translates the words around it.
    let quoted: Vec<String> = out
        .iter()
        .flat_map(|s| s.split('\'').skip(1).step_by(2).map(|q| format!("'{q}'")))
        .collect();
    out.extend(quoted);
    out.retain(|s| !s.trim().is_empty());
    // Longest first, so a name is removed before a shorter name inside it.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// The English words left in `text` once content strings and codes are taken out.
fn english_words(text: &str, content: &[String]) -> Vec<String> {
    let mut rest = text.to_owned();
    for quoted in content {
        if rest.contains(quoted.as_str()) {
            rest = rest.replace(quoted.as_str(), " ");
        }
    }
    rest.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|word| word.len() >= 2 && !CODES.contains(word))
        .map(str::to_owned)
        .collect()
}

fn problems() -> Vec<InputProblem> {
    let text = || "x".to_owned();
    vec![
        InputProblem::NotADate { text: text() },
        InputProblem::NoSuchDate { text: text() },
        InputProblem::NoUnit { text: text() },
        InputProblem::NotAUnit { text: text() },
        InputProblem::NotANumber { text: text() },
        InputProblem::AmbiguousComma {
            text: "1,5".to_owned(),
            as_decimal: "1.5".to_owned(),
            as_grouped: "15".to_owned(),
        },
        InputProblem::NotPositive { text: text() },
        InputProblem::ConcentrationOutOfRange { value: 120.0 },
        InputProblem::ConcentrationNeedsMixture,
        InputProblem::NotACountry {
            text: text(),
            meant: None,
        },
        InputProblem::NotACountry {
            text: text(),
            meant: Some("GB".to_owned()),
        },
        InputProblem::Missing,
        InputProblem::UnknownChemical { text: text() },
        InputProblem::InvalidCas {
            number: "39742-60-5".to_owned(),
            expected: 4,
            found: 5,
        },
        InputProblem::AmbiguousChemical {
            text: text(),
            candidates: vec!["npp".into()],
        },
    ]
}

#[test]
fn chinese_renders_every_reason_note_and_problem_without_english() {
    let catalogue = embedded_catalogue().unwrap();
    let cases: Vec<Case> = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(include_str!("golden/cases.ron"))
        .unwrap();
    assert!(cases.len() >= 40, "the golden cases were read");
    // What the officer typed is quoted as typed ("pseudoephedrine HCl"), like the content.
    let mut content = content_strings();
    content.extend(
        cases
            .iter()
            .flat_map(|case| &case.shipment.lines)
            .map(|line| line.chemical.clone()),
    );
    content.sort_by_key(|s| std::cmp::Reverse(s.len()));
    content.dedup();
    let mut texts: Vec<(String, String)> = Vec::new();
    for case in &cases {
        let spec = &case.shipment;
        let shipment = Shipment {
            origin: spec.origin.as_deref().unwrap_or("CN").into(),
            destination: spec.destination.as_str().into(),
            transit: spec.transit.iter().map(|c| c.as_str().into()).collect(),
            date: spec.date,
            lines: spec
                .lines
                .iter()
                .map(|line| ShipmentLine {
                    chemical: line.chemical.clone(),
                    form: line.form,
                    concentration_percent: line.concentration,
                    quantity: line.quantity,
                    smiles: String::new(),
                })
                .collect(),
            ..Shipment::default()
        };
        let as_of = case
            .as_of
            .or(spec.date)
            .unwrap_or(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        let assessment = rules::evaluate(&catalogue, &shipment, as_of);
        for reason in assessment.findings().flat_map(|f| &f.reasons) {
            texts.push((case.name.clone(), reason_text(reason, &catalogue, Lang::Zh)));
        }
        for note in &assessment.notes {
            texts.push((case.name.clone(), note_text(note, &catalogue, Lang::Zh)));
        }
    }
    // Notes no golden case produces.
    for note in [
        Note::UnknownCountry {
            field: FieldId::Transit(0),
            code: "Q9".into(),
        },
        Note::NoLines,
    ] {
        texts.push(("note".to_owned(), note_text(&note, &catalogue, Lang::Zh)));
    }
    for problem in problems() {
        texts.push((
            format!("{problem:?}"),
            input_problem_text(&problem, Lang::Zh),
        ));
    }
    for field in [
        FieldId::Origin,
        FieldId::Destination,
        FieldId::Transit(0),
        FieldId::Date,
        FieldId::LineChemical(0),
        FieldId::LineConcentration(0),
        FieldId::LineQuantity(0),
    ] {
        texts.push((format!("{field:?}"), field_label(field, Lang::Zh)));
    }
    let failures: Vec<String> = texts
        .iter()
        .filter_map(|(source, text)| {
            let words = english_words(text, &content);
            (!words.is_empty()).then(|| format!("{source}: {words:?} in {text}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} Chinese texts with English words:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(texts.len() > 200, "enough texts were rendered");
}

#[test]
fn english_words_are_found_and_content_is_allowed() {
    let content = vec!["Acetone".to_owned()];
    assert_eq!(
        english_words("丙酮 Acetone：is listed", &content),
        vec!["is".to_owned(), "listed".to_owned()]
    );
    assert!(english_words("CAS号50-00-0，25 kg", &content).is_empty());
}

/// Listing scopes are data worded in English; the Chinese window translates them by their
/// whole text (`i18n::scope_text`). A translation whose English is no longer a scope on file
/// would never be shown, and most scopes on file must have one.
#[test]
fn scopes_on_file_are_shown_in_chinese_and_every_translation_is_of_a_scope_on_file() {
    let catalogue = embedded_catalogue().unwrap();
    let scopes: Vec<&str> = catalogue
        .listings
        .iter()
        .map(|l| &*l.scope)
        .filter(|s| !s.is_empty())
        .collect();
    for translated in precursor_desk::i18n::translated_scopes() {
        assert!(
            scopes.contains(&translated),
            "no listing's scope reads '{translated}' any more"
        );
    }
    let in_chinese = scopes
        .iter()
        .filter(|scope| precursor_desk::i18n::scope_text(scope, Lang::Zh) != **scope)
        .count();
    assert!(
        in_chinese * 10 >= scopes.len() * 8,
        "only {in_chinese} of {} scopes on file are shown in Chinese",
        scopes.len()
    );
}
