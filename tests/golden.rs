//! Golden regulatory cases: every case in `tests/golden/cases.ron` is run through
//! `rules::evaluate` with the embedded catalogue, and every mismatch across all cases is
//! reported at once.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::NaiveDate;
use precursor_desk::data::embedded_catalogue;
use precursor_desk::rules::{
    self, Amount, Assessment, Finding, Form, LineAssessment, Note, Obligation, Reason, Shipment,
    ShipmentLine, Status,
};
use serde::Deserialize;

const CASES: &str = include_str!("golden/cases.ron");
const MIN_CASES: usize = 40;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    why: String,
    shipment: ShipmentSpec,
    /// Defaults to the shipment date.
    #[serde(default)]
    as_of: Option<NaiveDate>,
    #[serde(default)]
    overall: Option<Status>,
    #[serde(default)]
    lines: Vec<LineExpect>,
    #[serde(default)]
    expect: Vec<Expect>,
    #[serde(default)]
    absent: Vec<Absent>,
    #[serde(default)]
    duty: Option<DutyExpect>,
}

/// The shipment of a case. Kept apart from `rules::Shipment` so that a misspelt field in the
/// case file is an error rather than a silently ignored default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShipmentSpec {
    #[serde(default = "china")]
    origin: String,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    transit: Vec<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    documents_held: Vec<String>,
    lines: Vec<LineSpec>,
}

fn china() -> String {
    "CN".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineSpec {
    chemical: String,
    #[serde(default)]
    form: Form,
    #[serde(default)]
    concentration: Option<f64>,
    #[serde(default)]
    quantity: Option<Amount>,
}

impl ShipmentSpec {
    fn to_shipment(&self) -> Shipment {
        Shipment {
            origin: self.origin.as_str().into(),
            destination: self.destination.as_str().into(),
            transit: self.transit.iter().map(|c| c.as_str().into()).collect(),
            date: self.date,
            documents_held: self
                .documents_held
                .iter()
                .map(|d| d.as_str().into())
                .collect(),
            lines: self
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
        }
    }
}

/// Checks on a whole line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineExpect {
    #[serde(default)]
    line: usize,
    #[serde(default)]
    status: Option<Status>,
    /// The resolution kind: found, ambiguous, unlisted_cas, invalid_cas, unknown, empty.
    #[serde(default)]
    resolution: Option<String>,
    /// The chemical id the line resolved to.
    #[serde(default)]
    chemical: Option<String>,
    /// The candidates of an ambiguous line, in any order.
    #[serde(default)]
    candidates: Option<Vec<String>>,
    /// Every finding of the line has this status (and there is at least one).
    #[serde(default)]
    every_finding: Option<Status>,
}

/// A finding that must exist.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    line: usize,
    jurisdiction: String,
    obligation: Obligation,
    #[serde(default)]
    regime: Option<String>,
    status: Status,
    /// Reason codes that must all appear among the finding's reasons.
    #[serde(default)]
    reasons: Vec<String>,
    /// Gap ids that must all appear among the finding's gaps.
    #[serde(default)]
    gaps: Vec<String>,
    /// Text that the scope of one of the finding's listings (as its instrument words it)
    /// must contain.
    #[serde(default)]
    scope: Option<String>,
}

/// A finding that must not exist.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Absent {
    #[serde(default)]
    line: usize,
    jurisdiction: String,
    obligation: Obligation,
    #[serde(default)]
    regime: Option<String>,
}

#[derive(Debug, Deserialize)]
enum DutyExpect {
    /// A duty note with this rate.
    Rate(f64),
    /// No duty note at all.
    Absent,
}

fn load_cases() -> Vec<Case> {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    match options.from_str::<Vec<Case>>(CASES) {
        Ok(cases) => cases,
        Err(error) => panic!("tests/golden/cases.ron: {error}"),
    }
}

fn status_name(status: Status) -> &'static str {
    status.as_str()
}

fn tag(value: &impl serde::Serialize, key: &str) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|json| json.get(key).and_then(|v| v.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn reason_codes(finding: &Finding) -> Vec<String> {
    finding
        .reasons
        .iter()
        .map(|reason| tag(reason, "code"))
        .collect()
}

fn describe_finding(finding: &Finding) -> String {
    let regime = if finding.regime.is_empty() {
        "-"
    } else {
        &finding.regime
    };
    let mut text = format!(
        "{} {} {} = {} reasons [{}]",
        finding.jurisdiction,
        regime,
        finding.obligation.as_str(),
        status_name(finding.status),
        reason_codes(finding).join(", ")
    );
    if !finding.gaps.is_empty() {
        let _ = write!(text, " gaps [{}]", finding.gaps.join(", "));
    }
    text
}

fn describe_line(line: Option<&LineAssessment>) -> String {
    match line {
        None => "      (no such line)".to_owned(),
        Some(line) => {
            let mut text = format!(
                "      line {:?}: resolution {}, status {}\n",
                line.input,
                tag(&line.resolution, "kind"),
                status_name(line.status)
            );
            if line.findings.is_empty() {
                text.push_str("        (no findings)\n");
            }
            for finding in line.findings.iter() {
                let _ = writeln!(text, "        {}", describe_finding(finding));
            }
            text.trim_end().to_owned()
        }
    }
}

fn matches(
    finding: &Finding,
    jurisdiction: &str,
    obligation: Obligation,
    regime: Option<&String>,
) -> bool {
    &*finding.jurisdiction == jurisdiction
        && finding.obligation == obligation
        && regime.is_none_or(|regime| *finding.regime == **regime)
}

/// Why a finding does not satisfy an expectation, or `None` when it does.
fn unmet(finding: &Finding, expect: &Expect) -> Option<String> {
    let mut problems = Vec::new();
    if finding.status != expect.status {
        problems.push(format!(
            "status {} (expected {})",
            status_name(finding.status),
            status_name(expect.status)
        ));
    }
    let codes = reason_codes(finding);
    let missing: Vec<&str> = expect
        .reasons
        .iter()
        .filter(|code| !codes.contains(code))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        problems.push(format!("missing reasons [{}]", missing.join(", ")));
    }
    let missing: Vec<&str> = expect
        .gaps
        .iter()
        .filter(|gap| !finding.gaps.iter().any(|g| **g == ***gap))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        problems.push(format!("missing gaps [{}]", missing.join(", ")));
    }
    let scopes: Vec<&str> = finding
        .reasons
        .iter()
        .filter_map(|reason| match reason {
            Reason::ListingScope { scope, .. } => Some(&**scope),
            _ => None,
        })
        .collect();
    if let Some(want) = &expect.scope
        && !scopes.iter().any(|scope| scope.contains(want.as_str()))
    {
        problems.push(format!(
            "scope {scopes:?} (expected one containing {want:?})"
        ));
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

fn describe_expect(expect: &Expect) -> String {
    let mut text = format!(
        "{} {} {} = {}",
        expect.jurisdiction,
        expect.regime.as_deref().unwrap_or("*"),
        expect.obligation.as_str(),
        status_name(expect.status)
    );
    if !expect.reasons.is_empty() {
        let _ = write!(text, " reasons ⊇ [{}]", expect.reasons.join(", "));
    }
    if !expect.gaps.is_empty() {
        let _ = write!(text, " gaps ⊇ [{}]", expect.gaps.join(", "));
    }
    text
}

fn duty_rates(assessment: &Assessment) -> Vec<f64> {
    assessment
        .notes
        .iter()
        .filter_map(|note| match note {
            Note::Duty { rate_percent, .. } => Some(*rate_percent),
            _ => None,
        })
        .collect()
}

/// Runs one case; returns its mismatches, each a readable paragraph.
fn check_case(catalogue: &rules::Catalogue, case: &Case) -> Vec<String> {
    let mut failures = Vec::new();
    let shipment = case.shipment.to_shipment();
    let Some(as_of) = case.as_of.or(shipment.date) else {
        return vec!["the case gives neither `as_of` nor a shipment date".to_owned()];
    };
    let assessment = rules::evaluate(catalogue, &shipment, as_of);

    if let Some(overall) = case.overall
        && assessment.overall != overall
    {
        failures.push(format!(
            "overall: expected {}, found {}\n{}",
            status_name(overall),
            status_name(assessment.overall),
            assessment
                .lines
                .iter()
                .map(|line| describe_line(Some(line)))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }

    for check in &case.lines {
        let line = assessment.lines.get(check.line);
        let Some(found) = line else {
            failures.push(format!("line {}: no such line", check.line));
            continue;
        };
        let mut problems = Vec::new();
        if let Some(status) = check.status
            && found.status != status
        {
            problems.push(format!(
                "status {} (expected {})",
                status_name(found.status),
                status_name(status)
            ));
        }
        let kind = tag(&found.resolution, "kind");
        if let Some(resolution) = &check.resolution
            && &kind != resolution
        {
            problems.push(format!("resolution {kind} (expected {resolution})"));
        }
        if let Some(chemical) = &check.chemical
            && found.chemical() != Some(chemical.as_str())
        {
            problems.push(format!(
                "chemical {:?} (expected {chemical})",
                found.chemical()
            ));
        }
        if let Some(expected) = &check.candidates {
            let candidates: Vec<String> = match &found.resolution {
                rules::Resolution::Ambiguous { candidates, .. } => {
                    candidates.iter().map(|c| c.to_string()).collect()
                }
                _ => Vec::new(),
            };
            let mut sorted_found = candidates.clone();
            sorted_found.sort();
            let mut sorted_expected = expected.clone();
            sorted_expected.sort();
            if sorted_found != sorted_expected {
                problems.push(format!(
                    "candidates [{}] (expected [{}])",
                    candidates.join(", "),
                    expected.join(", ")
                ));
            }
        }
        if let Some(status) = check.every_finding {
            if found.findings.is_empty() {
                problems.push(format!(
                    "no findings (expected every finding {})",
                    status_name(status)
                ));
            }
            let others: Vec<String> = found
                .findings
                .iter()
                .filter(|f| f.status != status)
                .map(describe_finding)
                .collect();
            if !others.is_empty() {
                problems.push(format!(
                    "expected every finding {}, but not: {}",
                    status_name(status),
                    others.join(" | ")
                ));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "line {}: {}\n{}",
                check.line,
                problems.join("; "),
                describe_line(line)
            ));
        }
    }

    for expect in &case.expect {
        let line = assessment.lines.get(expect.line);
        let candidates: Vec<&Finding> = line
            .map(|line| {
                line.findings
                    .iter()
                    .filter(|f| {
                        matches(
                            f,
                            &expect.jurisdiction,
                            expect.obligation,
                            expect.regime.as_ref(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        if candidates.is_empty() {
            failures.push(format!(
                "line {}: expected {}\n    found no such finding\n{}",
                expect.line,
                describe_expect(expect),
                describe_line(line)
            ));
            continue;
        }
        if candidates.iter().any(|f| unmet(f, expect).is_none()) {
            continue;
        }
        let why: Vec<String> = candidates
            .iter()
            .filter_map(|f| unmet(f, expect).map(|why| format!("{} — {why}", describe_finding(f))))
            .collect();
        failures.push(format!(
            "line {}: expected {}\n    found {}\n{}",
            expect.line,
            describe_expect(expect),
            why.join("\n    found "),
            describe_line(line)
        ));
    }

    for absent in &case.absent {
        let line = assessment.lines.get(absent.line);
        let present: Vec<String> = line
            .into_iter()
            .flat_map(|line| line.findings.iter())
            .filter(|f| {
                matches(
                    f,
                    &absent.jurisdiction,
                    absent.obligation,
                    absent.regime.as_ref(),
                )
            })
            .map(describe_finding)
            .collect();
        if !present.is_empty() {
            failures.push(format!(
                "line {}: expected no {} {} {} finding, found: {}",
                absent.line,
                absent.jurisdiction,
                absent.regime.as_deref().unwrap_or("*"),
                absent.obligation.as_str(),
                present.join(" | ")
            ));
        }
    }

    if let Some(duty) = &case.duty {
        let rates = duty_rates(&assessment);
        let ok = match duty {
            DutyExpect::Rate(rate) => rates.iter().any(|r| (r - rate).abs() < 1e-9),
            DutyExpect::Absent => rates.is_empty(),
        };
        if !ok {
            let expected = match duty {
                DutyExpect::Rate(rate) => format!("a duty note of {rate} %"),
                DutyExpect::Absent => "no duty note".to_owned(),
            };
            failures.push(format!(
                "duty: expected {expected}, found rates {rates:?} %"
            ));
        }
    }
    failures
}

#[test]
fn golden_cases() {
    let catalogue = match embedded_catalogue() {
        Ok(catalogue) => catalogue,
        Err(error) => panic!("the embedded catalogue does not load: {error}"),
    };
    let cases = load_cases();
    assert!(
        cases.len() >= MIN_CASES,
        "tests/golden/cases.ron holds {} cases; at least {MIN_CASES} are expected",
        cases.len()
    );

    let mut seen = HashSet::new();
    let mut problems = Vec::new();
    for case in &cases {
        if !seen.insert(case.name.as_str()) {
            problems.push(format!("duplicate case name {:?}", case.name));
        }
        if case.why.trim().is_empty() {
            problems.push(format!("case {:?} has no `why`", case.name));
        }
        if case.expect.is_empty()
            && case.absent.is_empty()
            && case.lines.is_empty()
            && case.overall.is_none()
            && case.duty.is_none()
        {
            problems.push(format!("case {:?} checks nothing", case.name));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let mut report = String::new();
    let mut failed = 0;
    for case in &cases {
        let failures = check_case(&catalogue, case);
        if failures.is_empty() {
            continue;
        }
        failed += 1;
        let _ = writeln!(report, "\n=== {} ({})", case.name, case.why);
        for failure in failures {
            let _ = writeln!(report, "  - {failure}");
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} golden cases failed:\n{report}",
        cases.len()
    );
}

#[test]
fn a_line_repeated_in_a_shipment_is_assessed_as_it_is_alone() {
    let catalogue = embedded_catalogue().expect("the embedded catalogue loads");
    let mut repeated_lines = 0;
    for case in load_cases() {
        let shipment = case.shipment.to_shipment();
        let Some(as_of) = case.as_of.or(shipment.date) else {
            continue;
        };
        let once = rules::evaluate(&catalogue, &shipment, as_of);
        // Every line three times, interleaved with the others.
        let mut thrice = shipment.clone();
        thrice.lines = (0..3).flat_map(|_| shipment.lines.clone()).collect();
        let repeated = rules::evaluate(&catalogue, &thrice, as_of);
        let count = shipment.lines.len();
        for (index, line) in repeated.lines.iter().enumerate() {
            assert_eq!(
                line,
                &once.lines[index % count],
                "{}: line {} repeats line {}",
                case.name,
                index + 1,
                index % count + 1
            );
            repeated_lines += usize::from(index >= count);
        }
        assert_eq!(repeated.overall, once.overall, "{}", case.name);
    }
    assert!(repeated_lines > 100, "the golden cases give many repeats");
}

/// An evaluator keeps what a route and date bring for the next shipment on them. Every golden
/// shipment, and variants of it through a transit country, to another destination and on an
/// older date, screened through one evaluator (each variant meeting routes left by the
/// others), is assessed exactly as on its own.
#[test]
fn an_evaluator_shared_across_shipments_assesses_each_as_it_is_alone() {
    let catalogue = embedded_catalogue().expect("the embedded catalogue loads");
    let older = NaiveDate::from_ymd_opt(2019, 1, 1).expect("a date");
    let mut variants = Vec::new();
    for case in load_cases() {
        let shipment = case.shipment.to_shipment();
        let Some(as_of) = case.as_of.or(shipment.date) else {
            continue;
        };
        let mut through = shipment.clone();
        through.transit = vec!["MX".into()];
        let mut elsewhere = shipment.clone();
        elsewhere.destination = "MM".into();
        variants.push((format!("{} (through MX)", case.name), through, as_of));
        variants.push((format!("{} (to MM)", case.name), elsewhere, as_of));
        variants.push((format!("{} (in 2019)", case.name), shipment.clone(), older));
        variants.push((case.name, shipment, as_of));
    }
    let mut evaluator = rules::Evaluator::new(&catalogue);
    let mut differing = 0;
    for (name, shipment, as_of) in variants.iter().chain(variants.iter().rev()) {
        let resolutions = rules::resolve_lines(&catalogue, shipment);
        let shared = evaluator.evaluate_resolved(shipment, &resolutions, *as_of);
        let alone = rules::evaluate(&catalogue, shipment, *as_of);
        assert_eq!(shared, alone, "{name}");
        differing += usize::from(shared != rules::evaluate(&catalogue, &variants[0].1, *as_of));
    }
    assert!(differing > 100, "the variants give different assessments");
}

/// The summary is a faithful digest of the findings: every finding belongs to exactly one row,
/// a row's status is the most severe of its findings, its lines are exactly those with a
/// finding of its kind in that status, and the rows run from the most severe down. Checked on every golden shipment.
#[test]
fn the_summary_digests_every_finding_of_every_golden_case() {
    let catalogue = embedded_catalogue().expect("the embedded catalogue loads");
    let mut checked_rows = 0;
    for case in load_cases() {
        let shipment = case.shipment.to_shipment();
        let Some(as_of) = case.as_of.or(shipment.date) else {
            continue;
        };
        let assessment = rules::evaluate(&catalogue, &shipment, as_of);
        let summary = assessment.summary();
        let name = &case.name;
        for (index, line) in assessment.lines.iter().enumerate() {
            for finding in line.findings.iter() {
                let rows: Vec<_> = summary
                    .iter()
                    .filter(|row| {
                        row.jurisdiction == finding.jurisdiction
                            && row.obligation == finding.obligation
                            && row.party == finding.party
                    })
                    .collect();
                assert_eq!(rows.len(), 1, "{name}: one row per finding's kind");
                let row = rows[0];
                assert!(
                    row.status.severity() >= finding.status.severity(),
                    "{name}: a row is never milder than one of its findings"
                );
                // A line may have two findings of one kind (two regimes of a
                // jurisdiction ask the same document: Canada's PCR and NCR import permits).
                let line_has_rows_status = line.findings.iter().any(|other| {
                    other.jurisdiction == row.jurisdiction
                        && other.obligation == row.obligation
                        && other.party == row.party
                        && other.status == row.status
                });
                assert_eq!(
                    row.lines.contains(&index),
                    line_has_rows_status,
                    "{name}: line {index} is listed exactly when one of its findings of the row's kind has the row's status"
                );
            }
        }
        for row in &summary {
            assert!(!row.lines.is_empty(), "{name}: a row names its lines");
            checked_rows += 1;
        }
        for pair in summary.windows(2) {
            assert!(
                pair[0].status.severity() >= pair[1].status.severity(),
                "{name}: the most severe rows come first"
            );
        }
        let overall_from_rows = rules::Status::most_severe(summary.iter().map(|row| row.status));
        if let Some(status) = overall_from_rows {
            assert!(
                status.severity() <= assessment.overall.severity(),
                "{name}: the summary never outranks the verdict"
            );
        }
    }
    assert!(checked_rows > 50, "the golden cases produce summary rows");
}

/// A line added and not filled in is a placeholder: it adds no finding and leaves the verdict
/// to the other lines; a shipment of blank lines alone has nothing to assess (review).
#[test]
fn a_blank_line_adds_no_finding_and_does_not_move_the_verdict() {
    let catalogue = embedded_catalogue().expect("the embedded catalogue loads");
    let date = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default();
    let shipment = |lines: Vec<ShipmentLine>| Shipment {
        origin: "CN".into(),
        destination: "DE".into(),
        date: Some(date),
        lines,
        ..Shipment::default()
    };
    let acetone = ShipmentLine::new("acetone");
    let alone = rules::evaluate(&catalogue, &shipment(vec![acetone.clone()]), date);
    let with_blank = rules::evaluate(
        &catalogue,
        &shipment(vec![acetone, ShipmentLine::new("")]),
        date,
    );
    assert_eq!(with_blank.overall, alone.overall);
    assert_eq!(with_blank.counts(), alone.counts());
    assert!(with_blank.lines[1].is_blank());
    assert!(with_blank.lines[1].findings.is_empty());

    let blank_only = rules::evaluate(&catalogue, &shipment(vec![ShipmentLine::new("")]), date);
    assert_eq!(blank_only.overall, Status::Review);
    assert!(blank_only.notes.contains(&Note::NoLines));

    // A line with a quantity but no chemical is input missing, not a placeholder.
    let mut half = ShipmentLine::new("");
    half.quantity = Some(Amount {
        value: 5.0,
        unit: rules::model::Unit::Kg,
    });
    let missing = rules::evaluate(&catalogue, &shipment(vec![half]), date);
    assert!(!missing.lines[0].findings.is_empty());
    assert_eq!(missing.overall, Status::Review);
}

/// A shipment of 1,000 t of one chemical, pure, as typed: above every threshold on file (the
/// largest are hundreds of gallons), for the sweeps below.
fn a_thousand_tonnes_of(
    chemical: &str,
    origin: &str,
    destination: &str,
    date: NaiveDate,
) -> Shipment {
    Shipment {
        origin: origin.into(),
        destination: destination.into(),
        date: Some(date),
        lines: vec![ShipmentLine {
            chemical: chemical.to_owned(),
            quantity: Some(Amount {
                value: 1000.0,
                unit: rules::model::Unit::T,
            }),
            ..ShipmentLine::default()
        }],
        ..Shipment::default()
    }
}

/// The sweep for the worst answer this tool can give: for every listing in force, a large
/// pure shipment of its chemical on a route its regime reaches must get something other than
/// "not required" from that regime. A listing whose regime answers "not required" for its own
/// chemical means the data or the engine lost it (a scope, a date, a list's destinations).
#[test]
fn every_listing_in_force_gets_more_than_not_required_from_its_regime() {
    let catalogue = embedded_catalogue().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let members = |set: &str| -> Vec<String> {
        catalogue
            .country_sets
            .iter()
            .filter(|s| &*s.id == set)
            .flat_map(|s| &s.members)
            .filter(|m| m.period.until.is_none_or(|until| until > today))
            .map(|m| m.country.to_string())
            .collect()
    };
    let mut lost = Vec::new();
    let mut swept = 0;
    for listing in &catalogue.listings {
        let Some(list) = catalogue.lists.iter().find(|l| l.id == listing.list) else {
            continue;
        };
        let Some(regime) = catalogue.regimes.iter().find(|r| r.id == list.regime) else {
            continue;
        };
        // A day the listing, the list's regime and today's data all speak for.
        let in_force = |period: &rules::model::Period, day: NaiveDate| {
            period.from.is_none_or(|from| from <= day)
                && period.until.is_none_or(|until| day < until)
        };
        let date = match listing.period.until {
            Some(until) => until.pred_opt().unwrap(),
            None => today,
        };
        if !in_force(&listing.period, date) || !in_force(&regime.period, date) {
            continue;
        }
        // Every route the list speaks for: each destination of an export list or set, each of
        // the first origins of an import regime's set.
        let own = regime.countries.first().map(|c| c.to_string());
        let routes: Vec<(String, String)> = match regime.side {
            rules::model::Side::Export => {
                let origin = own.unwrap_or_else(|| "CN".to_owned());
                let mut destinations: Vec<String> = match (&list.destinations, &regime.destinations)
                {
                    (Some(listed), _) => listed.iter().map(|c| c.to_string()).collect(),
                    (None, Some(set)) => members(set),
                    (None, None) => vec![if origin == "US" { "CA" } else { "US" }.to_owned()],
                };
                destinations.retain(|d| *d != origin);
                destinations
                    .into_iter()
                    .map(|d| (origin.clone(), d))
                    .collect()
            }
            rules::model::Side::Import => {
                let destination = own.unwrap_or_else(|| "US".to_owned());
                let origins: Vec<String> = match &regime.origins {
                    Some(set) => members(set)
                        .into_iter()
                        .filter(|c| *c != destination)
                        .take(3)
                        .collect(),
                    None => vec![if destination == "CN" { "IN" } else { "CN" }.to_owned()],
                };
                origins
                    .into_iter()
                    .map(|o| (o, destination.clone()))
                    .collect()
            }
        };
        let salts = match listing.salts {
            rules::model::SaltRule::Inherit => list.salts,
            own => own,
        };
        let forms = [
            Some((Form::Pure, None)),
            (salts != rules::model::SaltRule::NotCovered).then_some((Form::Salt, None)),
            // Above every mixture exemption on file but one: a 99 % preparation.
            Some((Form::Mixture, Some(99.0))),
        ];
        for ((origin, destination), (form, concentration_percent)) in routes
            .iter()
            .flat_map(|route| forms.iter().flatten().map(move |form| (route, *form)))
        {
            let mut shipment = a_thousand_tonnes_of(&listing.chemical, origin, destination, date);
            shipment.lines[0].form = form;
            shipment.lines[0].concentration_percent = concentration_percent;
            let assessment = rules::evaluate(&catalogue, &shipment, date);
            let findings: Vec<&Finding> = assessment.lines[0]
                .findings
                .iter()
                .filter(|f| f.regime == regime.id)
                .collect();
            swept += 1;
            // A route that does not reach the regime would make the sweep say nothing: it
            // counts as lost too (no finding of the regime).
            if findings.iter().all(|f| f.status == Status::NotRequired) {
                lost.push(format!(
                    "{} ({form:?} {concentration_percent:?}) on {} ({origin} → {destination}, {date}): {}",
                    listing.chemical,
                    listing.list,
                    findings
                        .iter()
                        .map(|f| describe_finding(f))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
            }
        }
    }
    assert!(swept > 600, "only {swept} shipments swept");
    assert!(
        lost.is_empty(),
        "{} shipments of a listed chemical answered 'not required' by the listing's regime:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

/// Parties to the 1988 Convention control the import of its Table I precursors: every
/// chemical on UN Table I in force today, shipped from a country whose rules are not on file
/// into each jurisdiction whose import rules are, gets more than "not required" from that
/// jurisdiction (a listing, a scope that may take it in, or a gap). A miss is a chemical the
/// jurisdiction's data does not reach: Canada answered BMK glycidic acid, PMK glycidic acid and
/// MAPA "not required" until its items' "derivatives and analogues" wording was put on file.
#[test]
fn every_un_table_i_precursor_is_more_than_not_required_on_import_where_import_rules_are_on_file() {
    let catalogue = embedded_catalogue().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let table_i: Vec<&str> = catalogue
        .listings
        .iter()
        .filter(|listing| &*listing.list == "UN-table-I" && listing.period.may_be_in_force(today))
        .map(|listing| &*listing.chemical)
        .collect();
    assert!(table_i.len() > 20, "only {} Table I entries", table_i.len());
    let mut lost = Vec::new();
    for chemical in &table_i {
        for (destination, jurisdiction) in [("US", "US"), ("CA", "CA"), ("MX", "MX"), ("DE", "EU")]
        {
            let shipment = a_thousand_tonnes_of(chemical, "IN", destination, today);
            let assessment = rules::evaluate(&catalogue, &shipment, today);
            let findings: Vec<&Finding> = assessment.lines[0]
                .findings
                .iter()
                .filter(|finding| &*finding.jurisdiction == jurisdiction)
                .collect();
            if findings
                .iter()
                .all(|finding| finding.status == Status::NotRequired)
            {
                lost.push(format!(
                    "{chemical} into {destination}: {}",
                    findings
                        .iter()
                        .map(|finding| describe_finding(finding))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
            }
        }
    }
    assert!(
        lost.is_empty(),
        "{} imports of a UN Table I precursor answered 'not required':\n{}",
        lost.len(),
        lost.join("\n")
    );
}

/// A CAS number that no chemical on file carries never clears the goods on a list: on every
/// route between the countries on file, before and after China's 2025-11-10 listings, no
/// finding that looked the number up (reason `cas_not_on_file`) answers "not required", and
/// each line is at least review. 345-78-8 is pseudoephedrine hydrochloride (a salt of a
/// listed chemical) and 7732-18-5 water: the tool can tell neither from the number alone.
#[test]
fn a_cas_number_no_chemical_on_file_carries_never_clears_the_goods_on_a_list() {
    let catalogue = embedded_catalogue().unwrap();
    let countries = ["CN", "US", "MX", "CA", "DE", "FR", "IN", "MM", "HK", "GB"];
    let dates = [
        NaiveDate::from_ymd_opt(2025, 11, 9).unwrap(),
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
    ];
    let mut cleared = Vec::new();
    let mut looked_up = 0;
    for number in ["345-78-8", "7732-18-5"] {
        assert!(
            matches!(
                catalogue.resolve(number),
                rules::Resolution::UnlistedCas { .. }
            ),
            "{number} must stay a number no chemical on file carries for this test to mean anything"
        );
        for origin in countries {
            for destination in countries.iter().filter(|&&country| country != origin) {
                for date in dates {
                    let shipment = a_thousand_tonnes_of(number, origin, destination, date);
                    let assessment = rules::evaluate(&catalogue, &shipment, date);
                    let line = &assessment.lines[0];
                    if line.status == Status::NotRequired {
                        cleared.push(format!("{number} {origin}→{destination} {date}: the line"));
                    }
                    for finding in line.findings.iter().filter(|finding| {
                        finding
                            .reasons
                            .iter()
                            .any(|reason| matches!(reason, rules::Reason::CasNotOnFile { .. }))
                    }) {
                        looked_up += 1;
                        if finding.status == Status::NotRequired {
                            cleared.push(format!(
                                "{number} {origin}→{destination} {date}: {}",
                                describe_finding(finding)
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        looked_up > 100,
        "only {looked_up} findings looked the numbers up"
    );
    assert!(
        cleared.is_empty(),
        "{} answers cleared a number not on file:\n{}",
        cleared.len(),
        cleared.join("\n")
    );
}

/// Every chemical named on file is read back when an officer adds a salt's counter-ion, a
/// stereo descriptor, a hydrate's word or its own CAS number to the name: as that chemical,
/// never as another one. (A name on file that such words make into another name on file, or
/// that several chemicals share, is read as that name, and skipped here.)
#[test]
fn every_name_on_file_is_read_back_with_a_salts_a_forms_or_its_cas_numbers_words() {
    use precursor_desk::rules::{MatchKind, Resolution};
    let catalogue = embedded_catalogue().unwrap();
    let mut misread = Vec::new();
    let mut read = 0;
    let mut racemates_read = 0;
    for (position, chemical) in catalogue.chemicals.iter().enumerate() {
        let name = chemical.name_en.as_str();
        if !matches!(catalogue.resolve(name), Resolution::Found { chemical: ref id, .. } if *id == chemical.id)
        {
            continue;
        }
        // A racemic descriptor names the racemate where one is on file: its own chemical.
        let racemate = match catalogue.racemates_of(position) {
            [one] => Some(catalogue.chemicals[*one].id.clone()),
            _ => None,
        };
        let racemic = |kind: MatchKind, as_salt: MatchKind| match &racemate {
            Some(racemate) => (racemate.clone(), as_salt),
            None => (chemical.id.clone(), kind),
        };
        let own = |kind: MatchKind| (chemical.id.clone(), kind);
        let mut typed = vec![
            (format!("{name} hydrochloride"), own(MatchKind::SaltName)),
            (
                format!("(±)-{name}"),
                racemic(MatchKind::FormName, MatchKind::RacemateName),
            ),
            (format!("{name} monohydrate"), own(MatchKind::FormName)),
            (
                format!("dl-{name} HCl"),
                racemic(MatchKind::FormOfSaltName, MatchKind::SaltName),
            ),
            (format!("(1R,2S)-{name}"), own(MatchKind::FormName)),
        ];
        if let Some(cas) = chemical.cas.first() {
            typed.push((format!("{name} (CAS {})", cas.number), own(MatchKind::Cas)));
        }
        let zh = chemical.name_zh.as_str();
        if matches!(catalogue.resolve(zh), Resolution::Found { chemical: ref id, .. } if *id == chemical.id)
        {
            typed.extend([
                (format!("左旋{zh}"), own(MatchKind::FormName)),
                (format!("无水{zh}"), own(MatchKind::FormName)),
                (format!("{zh}一水合物"), own(MatchKind::FormName)),
                (
                    format!("消旋{zh}"),
                    racemic(MatchKind::FormName, MatchKind::RacemateName),
                ),
            ]);
            // A salt's words are not read around a one-character name ("苯"): see
            // `salt_base_key`.
            if zh.chars().count() >= 2 {
                typed.push((format!("盐酸{zh}"), own(MatchKind::SaltName)));
            }
        }
        racemates_read += usize::from(racemate.is_some());
        for (text, expected) in typed {
            // Words that make another name on file are that name.
            if !matches!(catalogue.resolve(&text), Resolution::Unknown)
                && catalogue.chemicals.iter().any(|other| {
                    other.id != chemical.id
                        && [&other.name_en, &other.name_zh]
                            .into_iter()
                            .chain(&other.synonyms)
                            .any(|n| n.eq_ignore_ascii_case(&text))
                })
            {
                continue;
            }
            read += 1;
            let (expected_id, expected) = expected;
            match catalogue.resolve(&text) {
                Resolution::Found {
                    chemical: id,
                    matched,
                } if id == expected_id && matched == expected => {}
                other => misread.push(format!(
                    "{text:?}: {other:?} (expected {expected_id} by {expected:?})"
                )),
            }
        }
    }
    assert!(read > 400, "only {read} texts read");
    // Ephedrine's racemate (racephedrine, 消旋麻黄素) at least.
    assert!(racemates_read >= 1, "no racemate on file was read");
    assert!(
        misread.is_empty(),
        "{} misread:\n{}",
        misread.len(),
        misread.join("\n")
    );
}
