//! Structure-aware screening: a data-driven table of structures with known answers (listed
//! chemicals, their salts, carbamates, acetals, amides, halides and esters, China's fentanyl
//! class, and near misses that no family covers), SMILES errors with their positions, and the
//! findings a structure brings to an assessment.

use std::sync::OnceLock;

use chrono::NaiveDate;
use precursor_desk::data::embedded_catalogue;
use precursor_desk::rules::{Catalogue, Reason, Shipment, ShipmentLine, Status, evaluate};
use precursor_desk::structure::smiles::BondOrder;
use precursor_desk::structure::{Molecule, SmilesErrorKind, Structure, same_structure, screen};

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| embedded_catalogue().expect("embedded data"))
}

/// One structure and every family it falls in: `family=C` (the wording covers it) or
/// `family=S` (it only shares the core), with how it differs from the core.
struct Case {
    name: &'static str,
    smiles: &'static str,
    /// The chemicals on file with this structure (comma-separated).
    same_as: &'static str,
    hits: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "4-piperidone",
        smiles: "O=C1CCNCC1",
        same_as: "4-piperidone",
        hits: "cn-4-piperidone=C; us-4-piperidone=C; ca-4-piperidone-salts=C; ca-4-piperidone=C",
    },
    Case {
        name: "4-piperidone written another way",
        smiles: "C1CC(=O)CCN1",
        same_as: "4-piperidone",
        hits: "cn-4-piperidone=C; us-4-piperidone=C; ca-4-piperidone-salts=C; ca-4-piperidone=C",
    },
    Case {
        name: "NPP",
        smiles: "O=C1CCN(CCc2ccccc2)CC1",
        same_as: "npp",
        hits: "cn-4-piperidone=S:n_substituted; us-4-piperidone=S:n_substituted; us-npp=C; ca-4-piperidone-salts=S:n_substituted; ca-4-piperidone=C:n_substituted",
    },
    Case {
        name: "4-AP",
        smiles: "C1CC(CCN1)Nc1ccccc1",
        same_as: "4-ap",
        hits: "cn-4-ap=C; us-4-ap=C; us-4-ap-halides=C; ca-4-ap=C",
    },
    Case {
        name: "4-AP, Kekule ring",
        smiles: "C1CC(CCN1)NC1=CC=CC=C1",
        same_as: "4-ap",
        hits: "cn-4-ap=C; us-4-ap=C; us-4-ap-halides=C; ca-4-ap=C",
    },
    Case {
        name: "norfentanyl (an amide of 4-AP)",
        smiles: "CCC(=O)N(C1CCNCC1)c1ccccc1",
        same_as: "norfentanyl",
        hits: "cn-4-ap=S:amide; cn-norfentanyl=C; us-4-ap=C:amide; us-4-ap-halides=C:amide; ca-4-ap=C:amide; ca-norfentanyl=C",
    },
    Case {
        name: "fentanyl",
        smiles: "CCC(=O)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1",
        same_as: "fentanyl",
        hits: "cn-fentanyl-class=C; cn-4-ap=S:amide,n_substituted; cn-norfentanyl=S:n_substituted; us-4-ap=S:amide,n_substituted; us-4-ap-halides=S:amide,n_substituted; ca-4-ap=C:amide,n_substituted; ca-norfentanyl=C:n_substituted",
    },
    Case {
        name: "1-boc-4-piperidone, a carbamate of 4-piperidone",
        smiles: "CC(C)(C)OC(=O)N1CCC(=O)CC1",
        same_as: "1-boc-4-piperidone",
        hits: "cn-4-piperidone=S:carbamate; us-4-piperidone=C:carbamate; ca-4-piperidone-salts=S:carbamate; ca-4-piperidone=C:carbamate",
    },
    Case {
        name: "1-boc-4-AP",
        smiles: "CC(C)(C)OC(=O)N1CCC(CC1)Nc1ccccc1",
        same_as: "1-boc-4-ap",
        hits: "cn-4-ap=S:carbamate; us-4-ap=C:carbamate; us-4-ap-halides=C:carbamate; ca-4-ap=C:carbamate",
    },
    Case {
        name: "ANPP",
        smiles: "C1CN(CCC1Nc1ccccc1)CCc1ccccc1",
        same_as: "anpp",
        hits: "cn-4-ap=S:n_substituted; us-4-ap=S:n_substituted; us-4-ap-halides=S:n_substituted; ca-4-ap=C:n_substituted",
    },
    Case {
        name: "PMK glycidic acid",
        smiles: "CC1(OC1c1ccc2OCOc2c1)C(=O)O",
        same_as: "pmk-glycidic-acid",
        hits: "us-pmk-glycidic-acid=C; us-bmk-glycidic-acid=S:derivative",
    },
    Case {
        name: "PMK methyl glycidate",
        smiles: "COC(=O)C1(C)OC1c1ccc2OCOc2c1",
        same_as: "pmk-methyl-glycidate",
        hits: "us-pmk-glycidic-acid=S:ester; us-bmk-glycidic-acid=S:ester,derivative",
    },
    Case {
        name: "BMK glycidic acid",
        smiles: "CC1(OC1c1ccccc1)C(=O)O",
        same_as: "bmk-glycidic-acid",
        hits: "us-bmk-glycidic-acid=C",
    },
    Case {
        name: "BMK methyl glycidate",
        smiles: "COC(=O)C1(C)OC1c1ccccc1",
        same_as: "bmk-methyl-glycidate",
        hits: "us-bmk-glycidic-acid=C:ester",
    },
    Case {
        name: "4-piperidone hydrochloride",
        smiles: "O=C1CCNCC1.Cl",
        same_as: "4-piperidone",
        hits: "cn-4-piperidone=C:salt; us-4-piperidone=C:salt; ca-4-piperidone-salts=C:salt; ca-4-piperidone=C:salt",
    },
    Case {
        name: "4-piperidone hydrochloride, ionic",
        smiles: "O=C1CC[NH2+]CC1.[Cl-]",
        same_as: "4-piperidone",
        hits: "cn-4-piperidone=C:salt; us-4-piperidone=C:salt; ca-4-piperidone-salts=C:salt; ca-4-piperidone=C:salt",
    },
    Case {
        name: "4-piperidone monohydrate hydrochloride (the gem-diol)",
        smiles: "OC1(O)CC[NH2+]CC1.[Cl-]",
        same_as: "",
        hits: "cn-4-piperidone=C:salt; us-4-piperidone=C:salt; ca-4-piperidone-salts=C:salt; ca-4-piperidone=C:salt",
    },
    Case {
        name: "4-AP dihydrochloride",
        smiles: "C1CC(CCN1)Nc1ccccc1.Cl.Cl",
        same_as: "4-ap",
        hits: "cn-4-ap=C:salt; us-4-ap=C:salt; us-4-ap-halides=C:salt; ca-4-ap=C:salt",
    },
    Case {
        name: "norfentanyl oxalate",
        smiles: "CCC(=O)N(C1CCNCC1)c1ccccc1.OC(=O)C(=O)O",
        same_as: "norfentanyl",
        hits: "cn-4-ap=S:salt,amide; cn-norfentanyl=C:salt; us-4-ap=S:salt,amide; us-4-ap-halides=C:salt,amide; ca-4-ap=C:salt,amide; ca-norfentanyl=C:salt",
    },
    Case {
        name: "BMK glycidic acid sodium salt",
        smiles: "CC1(OC1c1ccccc1)C(=O)[O-].[Na+]",
        same_as: "bmk-glycidic-acid",
        hits: "us-bmk-glycidic-acid=C:salt",
    },
    Case {
        name: "PMK glycidic acid potassium salt",
        smiles: "CC1(OC1c1ccc2OCOc2c1)C(=O)[O-].[K+]",
        same_as: "pmk-glycidic-acid",
        hits: "us-pmk-glycidic-acid=C:salt; us-bmk-glycidic-acid=S:salt,derivative",
    },
    Case {
        name: "ethyl 4-oxopiperidine-1-carboxylate (unlisted carbamate)",
        smiles: "CCOC(=O)N1CCC(=O)CC1",
        same_as: "",
        hits: "cn-4-piperidone=S:carbamate; us-4-piperidone=C:carbamate; ca-4-piperidone-salts=S:carbamate; ca-4-piperidone=C:carbamate",
    },
    Case {
        name: "1-Cbz-4-piperidone",
        smiles: "O=C1CCN(CC1)C(=O)OCc1ccccc1",
        same_as: "",
        hits: "cn-4-piperidone=S:carbamate; us-4-piperidone=C:carbamate; ca-4-piperidone-salts=S:carbamate; ca-4-piperidone=C:carbamate",
    },
    Case {
        name: "1-boc-4-piperidone ethylene ketal",
        smiles: "CC(C)(C)OC(=O)N1CCC2(CC1)OCCO2",
        same_as: "",
        hits: "cn-4-piperidone=S:acetal,carbamate; us-4-piperidone=C:acetal,carbamate; ca-4-piperidone-salts=S:acetal,carbamate; ca-4-piperidone=C:acetal,carbamate",
    },
    Case {
        name: "4-piperidone ethylene ketal",
        smiles: "C1CC2(CCN1)OCCO2",
        same_as: "",
        hits: "cn-4-piperidone=S:acetal; us-4-piperidone=C:acetal; ca-4-piperidone-salts=S:acetal; ca-4-piperidone=C:acetal",
    },
    Case {
        name: "1-acetyl-4-piperidone",
        smiles: "CC(=O)N1CCC(=O)CC1",
        same_as: "",
        hits: "cn-4-piperidone=S:amide; us-4-piperidone=C:amide; ca-4-piperidone-salts=S:amide; ca-4-piperidone=C:amide",
    },
    Case {
        name: "4-fluoro-4-AP",
        smiles: "Fc1ccc(NC2CCNCC2)cc1",
        same_as: "",
        hits: "cn-4-ap=S:halide; us-4-ap=S:halide; us-4-ap-halides=C:halide; ca-4-ap=C:halide",
    },
    Case {
        name: "4-bromoanilino-1-boc-piperidine",
        smiles: "CC(C)(C)OC(=O)N1CCC(CC1)Nc1ccc(Br)cc1",
        same_as: "",
        hits: "cn-4-ap=S:carbamate,halide; us-4-ap=S:carbamate,halide; us-4-ap-halides=C:carbamate,halide; ca-4-ap=C:carbamate,halide",
    },
    Case {
        name: "3-chloro-4-AP",
        smiles: "Clc1cccc(NC2CCNCC2)c1",
        same_as: "",
        hits: "cn-4-ap=S:halide; us-4-ap=S:halide; us-4-ap-halides=C:halide; ca-4-ap=C:halide",
    },
    Case {
        name: "4-fluoroanilino-1-boc-piperidine",
        smiles: "CC(C)(C)OC(=O)N1CCC(CC1)Nc1ccc(F)cc1",
        same_as: "",
        hits: "cn-4-ap=S:carbamate,halide; us-4-ap=S:carbamate,halide; us-4-ap-halides=C:carbamate,halide; ca-4-ap=C:carbamate,halide",
    },
    Case {
        name: "NPP hydrochloride",
        smiles: "O=C1CCN(CCc2ccccc2)CC1.Cl",
        same_as: "npp",
        hits: "cn-4-piperidone=S:salt,n_substituted; us-4-piperidone=S:salt,n_substituted; us-npp=S:salt; ca-4-piperidone-salts=S:salt,n_substituted; ca-4-piperidone=C:salt,n_substituted",
    },
    Case {
        name: "PMK ethyl glycidate",
        smiles: "CCOC(=O)C1(C)OC1c1ccc2OCOc2c1",
        same_as: "pmk-ethyl-glycidate",
        hits: "us-pmk-glycidic-acid=S:ester; us-bmk-glycidic-acid=S:ester,derivative",
    },
    Case {
        name: "BMK propyl glycidate (unlisted ester)",
        smiles: "CCCOC(=O)C1(C)OC1c1ccccc1",
        same_as: "",
        hits: "us-bmk-glycidic-acid=C:ester",
    },
    Case {
        name: "BMK isopropyl glycidate",
        smiles: "CC(C)OC(=O)C1(C)OC1c1ccccc1",
        same_as: "",
        hits: "us-bmk-glycidic-acid=C:ester",
    },
    Case {
        name: "PMK propyl glycidate: US wording names no PMK esters",
        smiles: "CCCOC(=O)C1(C)OC1c1ccc2OCOc2c1",
        same_as: "",
        hits: "us-pmk-glycidic-acid=S:ester; us-bmk-glycidic-acid=S:ester,derivative",
    },
    Case {
        name: "acetylfentanyl",
        smiles: "CC(=O)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1",
        same_as: "",
        hits: "cn-fentanyl-class=C; cn-4-ap=S:amide,n_substituted; us-4-ap=S:amide,n_substituted; us-4-ap-halides=S:amide,n_substituted; ca-4-ap=C:amide,n_substituted",
    },
    Case {
        name: "furanylfentanyl",
        smiles: "O=C(c1ccco1)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1",
        same_as: "",
        hits: "cn-fentanyl-class=C; cn-4-ap=S:amide,n_substituted; us-4-ap=S:amide,n_substituted; us-4-ap-halides=S:amide,n_substituted; ca-4-ap=C:amide,n_substituted",
    },
    Case {
        name: "ocfentanil",
        smiles: "COCC(=O)N(c1ccccc1F)C1CCN(CCc2ccccc2)CC1",
        same_as: "",
        hits: "cn-fentanyl-class=C; cn-4-ap=S:amide,halide,n_substituted; us-4-ap=S:amide,halide,n_substituted; us-4-ap-halides=S:amide,halide,n_substituted; ca-4-ap=C:amide,halide,n_substituted",
    },
    Case {
        name: "thienyl analogue: any monocyclic aromatic (China condition 2)",
        smiles: "CCC(=O)N(c1cccs1)C1CCN(CCc2ccccc2)CC1",
        same_as: "",
        hits: "cn-fentanyl-class=C",
    },
    Case {
        name: "piperidine (listed by name, no family)",
        smiles: "C1CCNCC1",
        same_as: "piperidine",
        hits: "",
    },
    Case {
        name: "3-piperidone",
        smiles: "O=C1CNCCC1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "aniline",
        smiles: "Nc1ccccc1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "acetone",
        smiles: "CC(C)=O",
        same_as: "acetone",
        hits: "",
    },
    Case {
        name: "toluene",
        smiles: "Cc1ccccc1",
        same_as: "toluene",
        hits: "",
    },
    Case {
        name: "ethanol",
        smiles: "CCO",
        same_as: "",
        hits: "",
    },
    Case {
        name: "dichloromethane",
        smiles: "ClCCl",
        same_as: "",
        hits: "",
    },
    Case {
        name: "ethyl acetate",
        smiles: "CCOC(C)=O",
        same_as: "",
        hits: "",
    },
    Case {
        name: "N-methylpiperidine",
        smiles: "CN1CCCCC1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "4-piperidinol",
        smiles: "OC1CCNCC1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "cyclohexanone",
        smiles: "O=C1CCCCC1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "4-aminopiperidine",
        smiles: "NC1CCNCC1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "2-piperidone",
        smiles: "O=C1CCCCN1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "pyridine",
        smiles: "c1ccncc1",
        same_as: "",
        hits: "",
    },
    Case {
        name: "1-methyl-4-piperidone: N-substitution is not in the US wording",
        smiles: "CN1CCC(=O)CC1",
        same_as: "",
        hits: "cn-4-piperidone=S:n_substituted; us-4-piperidone=S:n_substituted; ca-4-piperidone-salts=S:n_substituted; ca-4-piperidone=C:n_substituted",
    },
    Case {
        name: "3-methyl-4-piperidone",
        smiles: "CC1CNCCC1=O",
        same_as: "3-methyl-4-piperidone",
        hits: "cn-4-piperidone=S:derivative; us-4-piperidone=S:derivative; ca-4-piperidone-salts=S:derivative; ca-4-piperidone=C:derivative",
    },
    Case {
        name: "1-benzyl-4-piperidone",
        smiles: "O=C1CCN(Cc2ccccc2)CC1",
        same_as: "1-benzyl-4-piperidone",
        hits: "cn-4-piperidone=S:n_substituted; us-4-piperidone=S:n_substituted; ca-4-piperidone-salts=S:n_substituted; ca-4-piperidone=C:n_substituted",
    },
];

fn describe(smiles: &str) -> (String, String) {
    let catalogue = catalogue();
    let screening = screen(catalogue, smiles).expect("valid SMILES");
    let hits: Vec<String> = screening
        .hits
        .iter()
        .map(|hit| {
            let kinds: Vec<&str> = hit.kinds.iter().map(|k| k.as_str()).collect();
            let mut text = format!(
                "{}={}",
                catalogue.families[hit.family].id,
                if hit.covered { "C" } else { "S" }
            );
            if !kinds.is_empty() {
                text.push(':');
                text.push_str(&kinds.join(","));
            }
            text
        })
        .collect();
    (screening.same_as.join(","), hits.join("; "))
}

#[test]
fn every_structure_gets_its_known_answer() {
    assert!(
        CASES.len() >= 40,
        "at least 40 structures with known answers"
    );
    let mut failures = Vec::new();
    for case in CASES {
        let (same_as, hits) = describe(case.smiles);
        if same_as != case.same_as || hits != case.hits {
            failures.push(format!(
                "{} ({}):\n  expected same_as={:?} hits={:?}\n  got      same_as={same_as:?} hits={hits:?}",
                case.name, case.smiles, case.same_as, case.hits
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_table_has_positives_and_negatives() {
    let covered = CASES.iter().filter(|c| c.hits.contains("=C")).count();
    let untouched = CASES.iter().filter(|c| c.hits.is_empty()).count();
    assert!(covered >= 25, "{covered} covered");
    assert!(untouched >= 12, "{untouched} with no family");
}

#[test]
fn invalid_smiles_name_the_character() {
    let cases: &[(&str, usize, SmilesErrorKind)] = &[
        ("", 0, SmilesErrorKind::Empty),
        ("   ", 0, SmilesErrorKind::Empty),
        ("C1CC", 1, SmilesErrorKind::UnclosedRing { ring: 1 }),
        ("C(C", 1, SmilesErrorKind::UnclosedBranch),
        ("CC)", 2, SmilesErrorKind::UnmatchedClose),
        (
            "C[Xx]",
            2,
            SmilesErrorKind::UnknownElement { symbol: "X".into() },
        ),
        (
            "CQ",
            1,
            SmilesErrorKind::UnknownElement { symbol: "Q".into() },
        ),
        ("CC=", 2, SmilesErrorKind::DanglingBond),
        ("=C", 0, SmilesErrorKind::NothingToBond),
        ("(C)", 0, SmilesErrorKind::NothingToBond),
        ("cc", 0, SmilesErrorKind::AromaticOutsideRing),
        ("CCc", 2, SmilesErrorKind::AromaticOutsideRing),
        ("C[NH", 1, SmilesErrorKind::UnclosedBracket),
        ("C11", 2, SmilesErrorKind::InvalidRingBond { ring: 1 }),
        (
            ".C",
            0,
            SmilesErrorKind::UnexpectedCharacter { character: '.' },
        ),
        (
            "C%1",
            1,
            SmilesErrorKind::UnexpectedCharacter { character: '%' },
        ),
        (
            "C C",
            1,
            SmilesErrorKind::UnexpectedCharacter { character: ' ' },
        ),
        (
            "CC\u{00e9}",
            2,
            SmilesErrorKind::UnexpectedCharacter {
                character: '\u{00e9}',
            },
        ),
        (
            "C[N+x]",
            4,
            SmilesErrorKind::UnexpectedCharacter { character: 'x' },
        ),
        (
            "O=C1CCNCC1a",
            10,
            SmilesErrorKind::UnexpectedCharacter { character: 'a' },
        ),
    ];
    for (smiles, position, kind) in cases {
        let error = Molecule::parse(smiles).expect_err(smiles);
        assert_eq!(
            (error.position, &error.kind),
            (*position, kind),
            "{smiles:?}"
        );
    }
    // The message counts characters from 1.
    let error = Molecule::parse("C1CC").expect_err("unclosed");
    assert!(error.to_string().contains("character 2"), "{error}");
}

#[test]
fn hostile_input_is_refused_without_panicking() {
    let long = "C".repeat(600);
    assert!(matches!(
        Molecule::parse(&long).map_err(|e| e.kind),
        Err(SmilesErrorKind::TooLarge { .. })
    ));
    for text in [
        "[", "]", "%", "%%", "[]", "[+]", "C(((", "))))", "1", "C1=1", "[C@@H]([", "\u{0}",
    ] {
        let _ = Molecule::parse(text);
        let _ = screen(catalogue(), text);
    }
}

#[test]
fn atoms_carry_hydrogens_charges_and_aromaticity() {
    let pyrrole = Molecule::parse("c1cc[nH]c1").expect("pyrrole");
    let nitrogen = pyrrole.atoms.iter().find(|a| a.element == 7).expect("N");
    assert_eq!(nitrogen.hydrogens, 1);
    assert!(pyrrole.atoms.iter().all(|a| a.aromatic));
    let kekule = Molecule::parse("C1=CNC=C1").expect("pyrrole, Kekule");
    assert!(same_structure(&pyrrole, &kekule));
    let benzene = Molecule::parse("C1=CC=CC=C1").expect("benzene");
    assert!(benzene.bonds.iter().all(|b| b.order == BondOrder::Aromatic));
    assert!(benzene.atoms.iter().all(|a| a.hydrogens == 1));
    let naphthalene = Molecule::parse("C1=CC=C2C=CC=CC2=C1").expect("naphthalene");
    assert!(same_structure(
        &naphthalene,
        &Molecule::parse("c1ccc2ccccc2c1").expect("n")
    ));
    // A quinone's ring is not aromatic.
    let quinone = Molecule::parse("O=C1C=CC(=O)C=C1").expect("quinone");
    assert!(quinone.atoms.iter().all(|a| !a.aromatic));
    let ammonium = Molecule::parse("[NH4+]").expect("ammonium");
    assert_eq!(
        (ammonium.atoms[0].charge, ammonium.atoms[0].hydrogens),
        (1, 4)
    );
    let explicit = Molecule::parse("[H]C([H])([H])[H]").expect("methane");
    assert_eq!(explicit.atoms.len(), 1);
    assert_eq!(explicit.atoms[0].hydrogens, 4);
    let chiral = Molecule::parse("C[C@@H](N)C(=O)O").expect("alanine");
    assert!(same_structure(
        &chiral,
        &Molecule::parse("CC(N)C(O)=O").expect("alanine")
    ));
    assert!(!same_structure(
        &Molecule::parse("O=C1CCNCC1").expect("4-piperidone"),
        &Molecule::parse("O=C1CNCCC1").expect("3-piperidone")
    ));
}

#[test]
fn a_salt_is_split_into_its_parent_and_counter_ions() {
    let salt = Structure::parse("[Cl-].O=C1CC[NH2+]CC1.O").expect("salt");
    assert!(salt.salt);
    assert_eq!(
        salt.counter_ions,
        vec!["Cl-".to_owned()],
        "water is not a counter-ion"
    );
    assert!(same_structure(
        &salt.parent,
        &Molecule::parse("O=C1CCNCC1").expect("base")
    ));
    let free_base = Structure::parse("O=C1CCNCC1").expect("base");
    assert!(!free_base.salt);
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn shipment(chemical: &str, smiles: &str, destination: &str, on: &str) -> Shipment {
    Shipment {
        destination: destination.into(),
        date: Some(date(on)),
        lines: vec![ShipmentLine {
            smiles: smiles.to_owned(),
            ..ShipmentLine::new(chemical)
        }],
        ..Shipment::default()
    }
}

fn structure_reasons(reasons: &[Reason]) -> Vec<&Reason> {
    reasons
        .iter()
        .filter(|r| {
            matches!(
                r,
                Reason::StructureCovered { .. } | Reason::StructureSharesCore { .. }
            )
        })
        .collect()
}

#[test]
fn an_unlisted_4_piperidone_carbamate_bound_for_the_us_is_required_under_list_i() {
    let catalogue = catalogue();
    let shipment = shipment("", "CCOC(=O)N1CCC(=O)CC1", "US", "2026-06-01");
    let assessment = evaluate(catalogue, &shipment, date("2026-06-01"));
    let line = &assessment.lines[0];
    assert_eq!(line.input, "CCOC(=O)N1CCC(=O)CC1");
    let list_i = catalogue.list("US-list-I").expect("US List I");
    let findings: Vec<_> = line
        .findings
        .iter()
        .filter(|f| f.regime == list_i.regime && list_i.obligations.contains(&f.obligation))
        .collect();
    assert!(!findings.is_empty());
    for finding in findings {
        assert_eq!(finding.status, Status::Required, "{finding:?}");
        assert!(finding.reasons.iter().any(|r| matches!(
            r,
            Reason::StructureCovered { family, atoms, .. }
                if family == "us-4-piperidone" && *atoms == vec![5, 6, 7, 8, 9, 10, 11]
        )));
        assert!(
            finding
                .citations
                .iter()
                .any(|c| c.instrument.contains("88 FR 21902"))
        );
    }
    assert_eq!(assessment.overall, Status::Required);
    let text = precursor_desk::i18n::reason_text(
        line.findings
            .iter()
            .flat_map(|f| &f.reasons)
            .find(|r| matches!(r, Reason::StructureCovered { .. }))
            .expect("covered"),
        catalogue,
        precursor_desk::i18n::Lang::En,
    );
    assert!(text.contains("carbamate of 4-piperidone"), "{text}");
    assert!(text.contains("atoms 6-12"), "{text}");
    assert!(text.contains("its acetals, amides, carbamates"), "{text}");
    let zh = precursor_desk::i18n::reason_text(
        line.findings
            .iter()
            .flat_map(|f| &f.reasons)
            .find(|r| matches!(r, Reason::StructureCovered { .. }))
            .expect("covered"),
        catalogue,
        precursor_desk::i18n::Lang::Zh,
    );
    assert!(zh.contains("氨基甲酸酯"), "{zh}");
}

#[test]
fn an_unrelated_piperidine_derivative_raises_no_structure_alarm() {
    let catalogue = catalogue();
    for smiles in ["CN1CCCCC1", "OC1CCNCC1", "O=C1CNCCC1"] {
        let shipment = shipment("", smiles, "US", "2026-06-01");
        let assessment = evaluate(catalogue, &shipment, date("2026-06-01"));
        for finding in assessment.lines[0].findings.iter() {
            assert!(
                structure_reasons(&finding.reasons).is_empty(),
                "{smiles}: {finding:?}"
            );
            assert_ne!(finding.status, Status::Required, "{smiles}: {finding:?}");
        }
    }
}

#[test]
fn halides_of_4_ap_are_covered_only_from_30_november_2023() {
    let catalogue = catalogue();
    let list_i = catalogue.list("US-list-I").expect("US List I");
    let mut statuses = Vec::new();
    for on in ["2023-06-01", "2024-01-02"] {
        let shipment = shipment("", "Fc1ccc(NC2CCNCC2)cc1", "US", on);
        let assessment = evaluate(catalogue, &shipment, date(on));
        let finding = assessment.lines[0]
            .findings
            .iter()
            .find(|f| f.regime == list_i.regime && list_i.obligations.contains(&f.obligation))
            .expect("US finding");
        statuses.push((finding.status, structure_reasons(&finding.reasons).len()));
        let covered = finding
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::StructureCovered { .. }));
        assert_eq!(covered, on == "2024-01-02", "{on}: {finding:?}");
    }
    assert_eq!(
        statuses[0].0,
        Status::Review,
        "before: only shares the core"
    );
    assert_eq!(statuses[1].0, Status::Required);
}

#[test]
fn a_structure_of_a_chemical_on_file_is_assessed_as_that_chemical() {
    let catalogue = catalogue();
    // 1-boc-4-piperidone written atom by atom in another order.
    let shipment = shipment("", "O=C1CCN(C(=O)OC(C)(C)C)CC1", "US", "2026-06-01");
    let assessment = evaluate(catalogue, &shipment, date("2026-06-01"));
    let line = &assessment.lines[0];
    assert_eq!(line.chemical(), Some("1-boc-4-piperidone"));
    // Its own List I listing decides; the 4-piperidone family does not add to it.
    for finding in line.findings.iter() {
        assert!(
            !finding.reasons.iter().any(
                |r| matches!(r, Reason::StructureCovered { list, .. } if &**list == "US-list-I")
            ),
            "{finding:?}"
        );
    }
    assert_eq!(assessment.overall, Status::Required);
}

#[test]
fn a_fentanyl_analogue_leaving_china_is_flagged_as_a_narcotic() {
    let catalogue = catalogue();
    let shipment = shipment(
        "",
        "O=C(c1ccco1)N(C1CCN(CCc2ccccc2)CC1)c1ccccc1",
        "DE",
        "2026-06-01",
    );
    let assessment = evaluate(catalogue, &shipment, date("2026-06-01"));
    let finding = assessment.lines[0]
        .findings
        .iter()
        .find(|f| {
            f.reasons.iter().any(|r| matches!(r, Reason::StructureCovered { family, .. } if family == "cn-fentanyl-class"))
        })
        .expect("China's fentanyl class");
    assert_eq!(&*finding.jurisdiction, "CN");
    assert_eq!(
        finding.status,
        Status::Review,
        "a narcotic: precursor licensing does not decide it"
    );
}

#[test]
fn an_invalid_smiles_on_a_line_is_a_problem_not_a_verdict() {
    let line = ShipmentLine {
        smiles: "C1CC(".to_owned(),
        ..ShipmentLine::new("")
    };
    assert!(!line.is_blank());
    let problems = line.problems();
    assert!(matches!(
        problems.as_slice(),
        [precursor_desk::rules::InputProblem::InvalidSmiles { .. }]
    ));
    let assessment = evaluate(
        catalogue(),
        &shipment("", "C1CC(", "US", "2026-06-01"),
        date("2026-06-01"),
    );
    assert!(
        assessment.lines[0]
            .findings
            .iter()
            .all(|f| f.status != Status::NotRequired)
    );
}

#[test]
fn check_takes_a_smiles_on_the_command_line() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
            .args(args)
            .output()
            .expect("run")
    };
    let output = run(&[
        "check",
        "--smiles",
        "CCOC(=O)N1CCC(=O)CC1",
        "--destination",
        "US",
        "--date",
        "2026-06-01",
        "--format",
        "json",
        "--embedded-only",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("structure_covered"), "{stdout}");
    let output = run(&[
        "check",
        "--smiles",
        "C1CC(",
        "--destination",
        "US",
        "--embedded-only",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--smiles") && stderr.contains("character"),
        "{stderr}"
    );
}

#[test]
fn a_batch_file_may_carry_a_smiles_column() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let list = dir.path().join("list.csv");
    let out = dir.path().join("results.csv");
    std::fs::write(
        &list,
        "reference,origin,destination,date,chemical,quantity,smiles\n\
         R-1,CN,US,2026-06-01,,5 kg,CCOC(=O)N1CCC(=O)CC1\n\
         R-2,CN,US,2026-06-01,,5 kg,C1CC(\n",
    )
    .expect("write the list");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_precursor-desk"))
        .args(["batch", "--embedded-only", "--out"])
        .arg(&out)
        .arg(&list)
        .output()
        .expect("run");
    let results = std::fs::read_to_string(&out).unwrap_or_default();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut rows = results.lines().skip(1);
    let first = rows.next().unwrap_or_default();
    let second = rows.next().unwrap_or_default();
    assert!(
        first.contains(",Required,Required,US Import notification"),
        "{results}\n{stdout}\n{stderr}"
    );
    assert!(
        second.contains("never closed at character 5"),
        "the SMILES error is named: {results}\n{stderr}"
    );
}

/// Every structure of the table, and every structure on file, is drawn to the layout's rules:
/// bonds one length long, no two atoms on top of each other, rings as regular polygons; and
/// the same input always gives the same picture.
#[test]
fn every_structure_is_drawn_to_the_layout_rules() {
    use precursor_desk::structure::layout::layout;
    let on_file = catalogue()
        .chemicals
        .iter()
        .filter_map(|chemical| chemical.smiles.as_deref());
    let mut drawn = 0;
    for smiles in CASES.iter().map(|case| case.smiles).chain(on_file) {
        let molecule = Molecule::parse(smiles).expect(smiles);
        let first = layout(&molecule);
        if let Some(flaw) = first.flaw(&molecule) {
            panic!("{smiles}: {flaw}");
        }
        assert_eq!(
            first,
            layout(&molecule),
            "{smiles} is drawn the same way twice"
        );
        drawn += 1;
    }
    assert!(
        drawn > CASES.len(),
        "the catalogue's structures were drawn too"
    );
}
