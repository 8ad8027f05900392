//! A line given by its structure, seen in the window: the drawing under the SMILES field, the
//! drawing in the results with the core a family matched highlighted, and the parse error
//! in place of the drawing when the SMILES is invalid.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used)]

mod support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use precursor_desk::app::PrecursorApp;
use precursor_desk::rules::Status;
use support::{choose_country, harness, shows, type_into};

/// Ethyl 4-oxopiperidine-1-carboxylate: a carbamate of 4-piperidone that no list names
/// (the tert-butyl one, 1-boc-4-piperidone, is on file).
const ETHYL_CARBAMATE: &str = "CCOC(=O)N1CCC(=O)CC1";

/// A new line bound for the United States on 1 June 2026, with this SMILES typed.
fn line_to_the_us(smiles: &str) -> Harness<'static, PrecursorApp> {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    choose_country(
        &mut harness,
        "Destination",
        "United St",
        "United States (US)",
    );
    type_into(&mut harness, "Shipment date", "2026-06-01");
    type_into(&mut harness, "Structure (SMILES)", smiles);
    harness
}

#[test]
fn an_unlisted_carbamate_is_required_and_drawn_with_its_core_highlighted() {
    let harness = line_to_the_us(ETHYL_CARBAMATE);
    assert_eq!(harness.state().assessment().overall, Status::Required);
    // In the results: the atoms the 4-piperidone core matched, by symbol and number as
    // written, the same atoms the reason names.
    let label = format!(
        "Structure drawing of {ETHYL_CARBAMATE}; matched core of 4-piperidone highlighted: \
         N6, C7, C8, C9, O10, C11, C12"
    );
    let drawing = harness.get_by_label(&label);
    assert!(
        drawing.rect().width() > 150.0,
        "drawn at a readable size: {:?}",
        drawing.rect()
    );
    assert!(shows(&harness, "Matched core: 4-piperidone (atoms 6-12)"));
    assert!(shows(
        &harness,
        "is a carbamate of 4-piperidone (atoms 6-12 match its core)"
    ));
    // Under the field: the structure as read, nothing highlighted.
    let label = format!("Structure drawing of {ETHYL_CARBAMATE}");
    let preview = harness.get_by_label(&label);
    let field = harness.get_by_label("Structure (SMILES)");
    assert!(
        preview.rect().top() >= field.rect().bottom(),
        "the preview sits under the field"
    );
}

#[test]
fn an_invalid_smiles_shows_its_error_under_the_field_and_no_drawing() {
    let mut harness = line_to_the_us("C1CC(");
    assert!(shows(&harness, "'(' is never closed at character 5"));
    assert!(!shows(&harness, "Structure drawing of"));
    // Mended, the drawing takes the error's place.
    type_into(&mut harness, "Structure (SMILES)", "C1CC(=O)CCN1");
    assert!(!shows(&harness, "never closed"));
    assert!(shows(&harness, "Structure drawing of C1CC(=O)CCN1"));
}

#[test]
fn an_unrelated_piperidine_is_drawn_under_the_field_but_not_in_the_results() {
    let harness = line_to_the_us("CN1CCCCC1");
    assert!(shows(&harness, "Structure drawing of CN1CCCCC1"));
    assert!(
        !shows(&harness, "matched core of"),
        "no family matched, nothing to highlight"
    );
    assert_eq!(
        harness
            .query_all_by_label_contains("Structure drawing of")
            .count(),
        1
    );
}

#[test]
fn the_drawing_speaks_chinese_too() {
    let mut harness = line_to_the_us(ETHYL_CARBAMATE);
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(shows(
        &harness,
        "突出显示4-哌啶酮母核匹配的原子：N6、C7、C8、C9、O10、C11、C12"
    ));
    assert!(shows(&harness, "匹配的母核：4-哌啶酮（原子6-12）"));
}

#[test]
fn with_several_cores_matched_a_button_picks_the_one_highlighted() {
    // Acetylfentanyl: China's fentanyl class and the 4-AP families both reach it.
    let mut harness = line_to_the_us("CC(=O)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1");
    let class = "matched core of fentanyl-related substances (class) highlighted: ";
    let four_ap = "matched core of N-phenylpiperidin-4-amine highlighted: ";
    assert!(shows(&harness, class), "the first finding's core first");
    assert!(!shows(&harness, four_ap));
    harness.get_by_label("N-phenylpiperidin-4-amine").click();
    harness.run();
    assert!(shows(&harness, four_ap));
    assert!(!shows(&harness, class), "one core at a time");
    assert!(shows(
        &harness,
        "Matched core: N-phenylpiperidin-4-amine (atoms"
    ));
}
