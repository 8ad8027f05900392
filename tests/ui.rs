//! The window driven through its accessibility tree, as an officer would: type, click, read.
#![cfg(feature = "gui")]
// Helpers outside #[test] functions unwrap too: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use precursor_desk::app::{PrecursorApp, install_fonts};
use precursor_desk::data::embedded_catalogue;
use precursor_desk::rules::Status;
use support::{choose_country, harness, search, shows, type_into};

/// The chemical cell of the catalogue table (the detail view shows the name as a heading too).
fn table_rows_named(harness: &Harness<'_, PrecursorApp>, name: &str) -> usize {
    harness.query_all_by_label(name).count()
}

#[test]
fn search_finds_npp_by_abbreviation_chinese_name_and_cas_fragment() {
    let mut harness = harness();
    for query in ["npp", "苯乙基", "39742"] {
        search(&mut harness, query);
        assert!(
            table_rows_named(&harness, "N-phenethyl-4-piperidone") >= 1,
            "'{query}' should list NPP"
        );
        // Ranking: the exact abbreviation or CAS prefix puts NPP in the detail view at once.
        assert!(
            shows(&harness, "CAS 39742-60-4 (official text)"),
            "'{query}'"
        );
    }
    search(&mut harness, "zzzz-no-such-thing");
    assert!(
        harness
            .query_all_by_label("No chemical on file matches.")
            .count()
            > 0
    );
}

#[test]
fn selecting_a_row_shows_its_cas_in_the_detail_view() {
    let mut harness = harness();
    search(&mut harness, "acetone");
    harness.get_all_by_label("acetone").next().unwrap().click();
    harness.run();
    assert!(shows(&harness, "CAS 67-64-1 (official text)"));
}

#[test]
fn the_detail_view_names_the_chemical_a_salt_is_of_or_that_may_be_the_same_an_open_group_or_contained()
 {
    let mut harness = harness();
    open_detail(&mut harness, "N-methylephedrine", "N-methylephedrine");
    assert!(shows(&harness, "May be the same substance as"));
    assert!(shows(
        &harness,
        "No source on file says whether the two names"
    ));

    open_detail(&mut harness, "norpseudoephedrine", "norpseudoephedrine");
    assert!(shows(&harness, "May be covered by"));
    assert!(shows(&harness, "is not among those named"));

    open_detail(&mut harness, "4-AP dihydrochloride", "4-AP dihydrochloride");
    assert!(shows(&harness, "A salt of"));

    open_detail(&mut harness, "racephedrine", "racephedrine");
    assert!(shows(&harness, "A stereoisomer or racemic form of"));

    open_detail(
        &mut harness,
        "sassafras oil",
        "sassafras oil (safrole-rich oil)",
    );
    assert!(shows(&harness, "May contain"));
    assert!(shows(
        &harness,
        "any essential oil containing more than 4% safrole"
    ));
}

/// Searches the catalogue and selects the row with this label, showing its detail.
fn open_detail(harness: &mut Harness<'_, PrecursorApp>, search_text: &str, row: &str) {
    search(harness, search_text);
    harness.get_all_by_label(row).next().unwrap().click();
    harness.run();
}

#[test]
fn a_class_shows_why_it_has_no_cas_number_instead_of_a_dash() {
    let mut harness = harness();
    open_detail(
        &mut harness,
        "fentanyl-related substances",
        "fentanyl-related substances (class)",
    );
    assert!(shows(&harness, "- (a class defined by structure)"));
}

#[test]
fn adding_a_chemical_and_choosing_the_us_gives_a_verdict_that_follows_the_date() {
    let mut harness = harness();
    search(&mut harness, "npp");
    harness.get_by_label("+ Add to shipment").click();
    harness.run();
    assert_eq!(harness.state().document().draft().lines.len(), 1);
    assert_eq!(
        harness.state().document().draft().lines[0].chemical,
        "N-phenethyl-4-piperidone",
        "the line shows the name, not the id"
    );

    choose_country(
        &mut harness,
        "Destination",
        "United St",
        "United States (US)",
    );
    assert_eq!(harness.state().document().draft().destination, "US");

    set_date(&mut harness, "2026-01-15");
    assert_eq!(harness.state().assessment().overall, Status::Required);
    assert!(shows(&harness, "Licences or permits required"));
    // The China specific-countries regime reaches the US since 2025-11-10 and its list is
    // known to be incomplete: that finding is a review, shown with its gap.
    assert!(shows(&harness, "The 13 chemicals China listed"));

    // Before the DEA listed NPP (72 FR 20039, 2007-04-23) and long before China did
    // (2018-02-01), nothing on file applies to NPP shipped to the US.
    set_date(&mut harness, "2007-04-22");
    assert_eq!(harness.state().assessment().overall, Status::NotRequired);
    assert!(shows(
        &harness,
        "No licence or permit required on the data on file"
    ));
    assert!(!shows(&harness, "Licences or permits required"));
}

fn set_date(harness: &mut Harness<'_, PrecursorApp>, date: &str) {
    type_into(harness, "Shipment date", date);
    assert_eq!(harness.state().document().draft().date, date);
}

#[test]
fn a_bad_cas_check_digit_is_marked_on_the_field_and_kept_as_typed() {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    type_into(&mut harness, "Chemical", "39742-60-5");
    assert!(shows(
        &harness,
        "CAS number 39742-60-5 has a wrong check digit: expected 4, found 5"
    ));
    assert_eq!(
        harness.state().document().draft().lines[0].chemical,
        "39742-60-5"
    );
    assert_eq!(
        harness.get_by_label("Chemical").value().as_deref(),
        Some("39742-60-5")
    );
    assert_eq!(harness.state().assessment().overall, Status::Review);
}

#[test]
fn a_salt_typed_by_its_name_is_shown_as_a_salt_of_the_chemical_on_file() {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    type_into(&mut harness, "Chemical", "ephedrine HCl");
    assert!(shows(&harness, "= a salt of ephedrine"));
    // Not the base's CAS numbers: they are not the salt's.
    assert!(!shows(&harness, "299-42-3"));
    assert!(shows(&harness, "ephedrine HCl (a salt of ephedrine)"));
    assert_eq!(
        harness.state().document().draft().lines[0].chemical,
        "ephedrine HCl"
    );
}

/// A number no chemical on file carries is not shown as "on no list": the hint asks for the
/// chemical's name, and the line is to be reviewed, not cleared.
#[test]
fn a_cas_number_no_chemical_on_file_carries_asks_for_the_name_and_is_reviewed() {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    type_into(&mut harness, "Chemical", "345-78-8");
    assert!(shows(
        &harness,
        "CAS 345-78-8: no chemical on file has this number; name the chemical"
    ));
    assert!(!shows(&harness, "Not on any list on file"));
    assert_eq!(harness.state().assessment().overall, Status::Review);
    assert!(
        harness
            .state()
            .assessment()
            .findings()
            .all(|finding| finding.status != Status::NotRequired
                || !finding.reasons.iter().any(|reason| matches!(
                    reason,
                    precursor_desk::rules::Reason::CasNotOnFile { .. }
                ))),
        "no finding that looked for the number clears it"
    );
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(shows(&harness, "现有数据中没有化学品使用此号"));
}

#[test]
fn a_stereoisomer_or_hydrate_typed_by_its_name_is_shown_as_a_form_of_the_chemical_on_file() {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    type_into(&mut harness, "Chemical", "(1S,2S)-pseudoephedrine");
    assert!(shows(
        &harness,
        "= an isomer, racemate or hydrate of pseudoephedrine"
    ));
    // Not pseudoephedrine's CAS number: it is not the form's.
    assert!(!shows(&harness, "90-82-4"));
    assert!(shows(
        &harness,
        "(1S,2S)-pseudoephedrine (an isomer, racemate or hydrate of pseudoephedrine)"
    ));
    type_into(
        &mut harness,
        "Chemical",
        "pseudoephedrine sulfate dihydrate",
    );
    assert!(shows(
        &harness,
        "= an isomer, racemate or hydrate of a salt of pseudoephedrine"
    ));
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(shows(&harness, "= 伪麻黄素某种盐的异构体、消旋体或水合物"));
}

#[test]
fn a_mistyped_chemical_offers_what_it_most_likely_meant_and_a_click_takes_it() {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    type_into(&mut harness, "Chemical", "pseudoefedrine");
    assert!(shows(&harness, "is not a chemical on file"));
    assert!(shows(&harness, "Did you mean:"));
    harness.get_by_label("pseudoephedrine").click();
    harness.run();
    assert_eq!(
        harness.state().document().draft().lines[0].chemical,
        "pseudoephedrine"
    );
    assert!(!shows(&harness, "is not a chemical on file"));
    assert!(!shows(&harness, "Did you mean:"));
    // Nothing like it on file: nothing offered.
    type_into(&mut harness, "Chemical", "qqqqzzzz");
    assert!(shows(&harness, "is not a chemical on file"));
    assert!(!shows(&harness, "Did you mean:"));
}

#[test]
fn impossible_quantities_and_concentrations_are_marked_where_they_are() {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    type_into(&mut harness, "Chemical", "toluene");
    type_into(&mut harness, "Concentration %", "120");
    type_into(&mut harness, "Quantity", "-5 kg");
    assert!(shows(&harness, "is over 100 %"));
    assert!(shows(&harness, "must be more than zero"));
    let line = &harness.state().document().draft().lines[0];
    assert_eq!(
        (line.concentration.as_str(), line.quantity.as_str()),
        ("120", "-5 kg")
    );
}

#[test]
fn switching_language_shows_chinese_labels_and_names() {
    let mut harness = harness();
    harness.get_by_label("简体中文").click();
    harness.run();
    assert!(shows(&harness, "搜索目录"));
    assert!(shows(&harness, "货物"));
    type_into(&mut harness, "搜索目录", "npp");
    assert!(shows(&harness, "N-苯乙基-4-哌啶酮"));
    harness.get_by_label("English").click();
    harness.run();
    assert!(shows(&harness, "Search catalogue"));
}

#[test]
fn ctrl_f_focuses_search_and_enter_adds_the_selected_chemical() {
    let mut harness = harness();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run();
    harness
        .get_by_label("Search catalogue")
        .type_text("acetone");
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    let lines = &harness.state().document().draft().lines;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].chemical, "acetone");
}

#[test]
fn lines_can_be_reordered_and_removed() {
    let mut harness = harness();
    for name in ["acetone", "toluene"] {
        search(&mut harness, name);
        harness.get_by_label("+ Add to shipment").click();
        harness.run();
    }
    let chemicals = |h: &Harness<'_, PrecursorApp>| {
        h.state()
            .document()
            .draft()
            .lines
            .iter()
            .map(|l| l.chemical.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(chemicals(&harness), ["acetone", "toluene"]);
    harness
        .get_all_by_label("Move line down")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(chemicals(&harness), ["toluene", "acetone"]);
    harness
        .get_all_by_label("Remove line")
        .next()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(chemicals(&harness), ["acetone"]);
}

#[test]
fn every_character_the_app_can_show_has_a_glyph() {
    // kittest fails on glyphs no font can draw; this checks every name in the rule content
    // and every string literal of the UI sources against the installed fonts at once.
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    let catalogue = embedded_catalogue().unwrap();
    let mut texts: Vec<String> = Vec::new();
    for chemical in &catalogue.chemicals {
        texts.push(chemical.name_en.clone());
        texts.push(chemical.name_zh.clone());
        texts.extend(chemical.synonyms.iter().cloned());
    }
    for country in &catalogue.countries {
        texts.push(country.name_zh.clone());
        texts.push(country.name_en.clone());
    }
    for list in &catalogue.lists {
        texts.push(list.name_zh.clone());
    }
    for regime in &catalogue.regimes {
        texts.push(regime.name_zh.clone());
        texts.extend(regime.obligations.iter().map(|o| o.action_zh.clone()));
    }
    for gap in &catalogue.gaps {
        texts.push(gap.summary_zh.clone());
    }
    for source in [
        include_str!("../src/i18n/labels.rs"),
        include_str!("../src/i18n/verdicts.rs"),
        include_str!("../src/i18n/reasons.rs"),
        include_str!("../src/i18n/notes.rs"),
        include_str!("../src/i18n/problems.rs"),
        include_str!("../src/i18n/catalogue.rs"),
        include_str!("../src/app/mod.rs"),
        include_str!("../src/app/document.rs"),
        include_str!("../src/app/case_flow.rs"),
        include_str!("../src/app/theme.rs"),
        include_str!("../src/app/catalogue_panel.rs"),
        include_str!("../src/app/shipment_form.rs"),
        include_str!("../src/app/results_panel.rs"),
        include_str!("../src/app/widgets.rs"),
    ] {
        texts.extend(
            source
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(str::to_owned),
        );
    }
    let font = egui::FontId::proportional(14.0);
    let missing: std::collections::BTreeSet<char> = ctx.fonts_mut(|fonts| {
        texts
            .iter()
            .flat_map(|t| t.chars())
            .filter(|c| !c.is_ascii() && !fonts.has_glyph(&font, *c))
            .collect()
    });
    assert!(missing.is_empty(), "no glyph for: {missing:?}");
}

#[test]
fn a_misspelt_search_shows_what_the_likeliest_word_finds_and_says_so() {
    let mut harness = harness();
    search(&mut harness, "fentanil");
    assert!(
        shows(&harness, "showing results for 'fentanyl'"),
        "the window says which word it searched instead"
    );
    for name in [
        "fentanyl",
        "norfentanyl",
        "fentanyl-related substances (class)",
    ] {
        assert!(
            table_rows_named(&harness, name) > 0,
            "{name} is listed for 'fentanil'"
        );
    }
    assert!(!shows(&harness, "No matches"));
}

#[test]
fn add_to_shipment_stays_in_view_while_the_detail_scrolls() {
    let mut harness = harness();
    search(&mut harness, "npp");
    let before = harness.get_by_label("+ Add to shipment").rect();
    let listings_before = harness.get_by_label("Listings").rect().top();
    // Scroll the detail (the lower part of the catalogue panel) far down.
    let below = egui::pos2(before.center().x, before.bottom() + 120.0);
    support::wheel(&mut harness, below, -2_000.0, 5);
    let after = harness.get_by_label("+ Add to shipment").rect();
    assert_eq!(before, after, "the button did not scroll away");
    assert!(
        harness.get_by_label("Listings").rect().top() < listings_before,
        "the detail under it did scroll"
    );
}

#[test]
fn a_line_given_by_its_structure_is_screened_against_the_families() {
    let mut harness = harness();
    harness.get_by_label("+ Add line").click();
    harness.run();
    choose_country(
        &mut harness,
        "Destination",
        "United St",
        "United States (US)",
    );
    set_date(&mut harness, "2026-06-01");
    type_into(&mut harness, "Structure (SMILES)", "C1CC(");
    assert!(shows(&harness, "'(' is never closed at character 5"));
    type_into(&mut harness, "Structure (SMILES)", "CCOC(=O)N1CCC(=O)CC1");
    assert_eq!(
        harness.state().document().draft().lines[0].smiles,
        "CCOC(=O)N1CCC(=O)CC1"
    );
    assert!(!shows(&harness, "never closed"));
    assert_eq!(harness.state().assessment().overall, Status::Required);
    assert!(shows(
        &harness,
        "is a carbamate of 4-piperidone (atoms 6-12 match its core)"
    ));
}
