//! The engine's reasons, as sentences.

use super::{Lang, Names, input_problem_text, obligation_label};
use crate::rules::model::{Side, trim_number};
use crate::rules::{Catalogue, InputProblem, Reason};

/// One reason as a sentence in the reader's language.
pub fn reason_text(reason: &Reason, catalogue: &Catalogue, lang: Lang) -> String {
    let n = Names::new(catalogue, lang);
    let zh = lang == Lang::Zh;
    match reason {
        Reason::Reaches {
            side: Side::Export,
            country,
        } => {
            if zh {
                format!("货物从{}出口。", n.country(country))
            } else {
                format!("The goods are exported from {}.", n.country(country))
            }
        }
        Reason::Reaches {
            side: Side::Import,
            country,
        } => {
            if zh {
                format!("货物进口至{}。", n.country(country))
            } else {
                format!("The goods are imported into {}.", n.country(country))
            }
        }
        Reason::DestinationInSet { set, country, from } => match (from, zh) {
            (Some(from), false) => format!(
                "{} is on {} (since {from}).",
                n.country(country),
                n.set(set)
            ),
            (Some(from), true) => format!("{}自{from}起列入{}。", n.country(country), n.set(set)),
            (None, false) => format!("{} is on {}.", n.country(country), n.set(set)),
            (None, true) => format!("{}列入{}。", n.country(country), n.set(set)),
        },
        Reason::DestinationNotYetInSet { set, country, from } => {
            if zh {
                format!(
                    "{}自{from}起才列入{}，此日期之前不适用。",
                    n.country(country),
                    n.set(set)
                )
            } else {
                format!(
                    "{} joins {} only on {from}; before that date this regime does not reach it.",
                    n.country(country),
                    n.set(set)
                )
            }
        }
        Reason::DestinationLeftSet {
            set,
            country,
            until,
        } => {
            if zh {
                format!("{}自{until}起不再列入{}。", n.country(country), n.set(set))
            } else {
                format!("{} left {} on {until}.", n.country(country), n.set(set))
            }
        }
        Reason::DestinationNotInSet { set, country } => {
            if zh {
                format!("{}不在{}中，该制度不适用。", n.country(country), n.set(set))
            } else {
                format!(
                    "{} is not on {}, so this regime does not reach the shipment.",
                    n.country(country),
                    n.set(set)
                )
            }
        }
        Reason::OriginNotInSet { set, country } => {
            if zh {
                format!(
                    "货物来自{}，不在{}中，该制度不适用。",
                    n.country(country),
                    n.set(set)
                )
            } else {
                format!(
                    "The goods come from {}, which is not on {}, so this regime does not reach the shipment.",
                    n.country(country),
                    n.set(set)
                )
            }
        }
        Reason::DestinationMembershipUnknown { set, country } => {
            if zh {
                format!(
                    "无法确定{}在该日期是否已列入{}。",
                    n.country(country),
                    n.set(set)
                )
            } else {
                format!(
                    "Whether {} was on {} on this date is not on file.",
                    n.country(country),
                    n.set(set)
                )
            }
        }
        Reason::DestinationMissing => {
            if zh {
                "未填写目的地国家。".to_owned()
            } else {
                "No destination country is given.".to_owned()
            }
        }
        Reason::Listed { list, from } => match (from, zh) {
            (Some(from), false) => format!("Listed on {} since {from}.", n.list(list)),
            (Some(from), true) => format!("自{from}起列入{}。", n.list(list)),
            (None, false) => format!("Listed on {}.", n.list(list)),
            (None, true) => format!("列入{}。", n.list(list)),
        },
        Reason::ListedViaGroup { list, group } => {
            if zh {
                format!("属于{}中的条目“{}”。", n.list(list), n.chemical(group))
            } else {
                format!(
                    "Covered by the entry '{}' on {}.",
                    n.chemical(group),
                    n.list(list)
                )
            }
        }
        Reason::ListingScope { scope, .. } => {
            if zh {
                format!("列管范围：{}", super::scope_text(scope, lang))
            } else {
                format!("Scope of the entry: {scope}")
            }
        }
        Reason::StartUnconfirmed { list, earliest } => {
            if zh {
                format!(
                    "列入{}的生效日期未经确认；按最早可能日期{earliest}起视为有效（审慎解读）。",
                    n.list(list)
                )
            } else {
                format!(
                    "On {}: the start date is unconfirmed; treated as in force from the earliest possible date, {earliest} (the cautious reading).",
                    n.list(list)
                )
            }
        }
        Reason::StartUnknown { list, listed_by } => {
            if zh {
                format!(
                    "列入{}的起始日期不详；来源显示至迟于{listed_by}已列管。",
                    n.list(list)
                )
            } else {
                format!(
                    "On {}: the start date is not on file; a source shows it listed by {listed_by}.",
                    n.list(list)
                )
            }
        }
        Reason::ListingDateUnknown { list } => {
            if zh {
                format!("列入{}的日期不详，无法判断该日期是否已列管。", n.list(list))
            } else {
                format!(
                    "On {}, but the listing date is not on file, so whether it applied on this date cannot be told.",
                    n.list(list)
                )
            }
        }
        Reason::NotYetListed { list, from } => {
            if zh {
                format!("自{from}起才列入{}，此日期尚未列管。", n.list(list))
            } else {
                format!(
                    "Listed on {} only from {from}; not yet listed on this date.",
                    n.list(list)
                )
            }
        }
        Reason::ListingEnded { list, until } => {
            if zh {
                format!("在{}的列管已于{until}终止。", n.list(list))
            } else {
                format!("The listing on {} ended on {until}.", n.list(list))
            }
        }
        Reason::NotListed { regime, lists } => {
            if zh {
                format!(
                    "不在现有数据的以下清单中：{}（{}）。",
                    n.lists(lists),
                    n.regime(regime)
                )
            } else {
                format!(
                    "Not on {} in the data on file ({}).",
                    n.lists(lists),
                    n.regime(regime)
                )
            }
        }
        Reason::CasNotOnFile { cas } => {
            if zh {
                format!(
                    "CAS号{cas}有效，但现有数据中没有化学品使用此号。列管化学品的盐、水合物、异构体或其他登记号未必都已收录，仅凭此号不能断定货物不在清单上：请填写化学品名称。"
                )
            } else {
                format!(
                    "CAS {cas} is valid but belongs to no chemical on file. A listed chemical may be sold under a number not on file (a salt's, a hydrate's, an isomer's or a superseded one), so the number alone does not show the goods are on no list: name the chemical."
                )
            }
        }
        Reason::SaltCovered { list } => {
            if zh {
                format!("{}的列管范围包括盐类。", n.list(list))
            } else {
                format!("Salts are covered by {}.", n.list(list))
            }
        }
        Reason::SaltNotCovered { list } => {
            if zh {
                format!("{}的列管范围不包括盐类。", n.list(list))
            } else {
                format!("Salts are not covered by {}.", n.list(list))
            }
        }
        Reason::SaltScopeUnknown { list } => {
            if zh {
                format!("{}是否包括盐类未有来源说明。", n.list(list))
            } else {
                format!(
                    "Whether {} covers salts is not stated in the sources on file.",
                    n.list(list)
                )
            }
        }
        Reason::MixtureAnyConcentration { list } => {
            if zh {
                format!("含有该物质的混合物无论浓度均受{}管制。", n.list(list))
            } else {
                format!(
                    "Mixtures containing it are controlled at any concentration under {}.",
                    n.list(list)
                )
            }
        }
        Reason::MixtureAboveLimit {
            list,
            limit,
            concentration,
        } => {
            if zh {
                format!(
                    "浓度{}%高于{}的{}%界限。",
                    trim_number(*concentration),
                    n.list(list),
                    trim_number(*limit)
                )
            } else {
                format!(
                    "The concentration, {} %, is above the {} % limit of {}.",
                    trim_number(*concentration),
                    trim_number(*limit),
                    n.list(list)
                )
            }
        }
        Reason::MixtureAtOrBelowLimit {
            list,
            limit,
            concentration,
        } => {
            if zh {
                format!(
                    "浓度{}%不高于{}的{}%界限，不受管制。",
                    trim_number(*concentration),
                    n.list(list),
                    trim_number(*limit)
                )
            } else {
                format!(
                    "The concentration, {} %, is at or below the {} % limit of {}: not controlled.",
                    trim_number(*concentration),
                    trim_number(*limit),
                    n.list(list)
                )
            }
        }
        Reason::MixtureRuleUnknown { list } => {
            if zh {
                format!("{}对混合物的规定未收录。", n.list(list))
            } else {
                format!("How {} treats mixtures is not on file.", n.list(list))
            }
        }
        Reason::ConcentrationMissing { list } => {
            if zh {
                format!("未填写浓度，无法适用{}的混合物规则。", n.list(list))
            } else {
                format!(
                    "No concentration is given, so the mixture rule of {} cannot be applied.",
                    n.list(list)
                )
            }
        }
        Reason::NoThreshold { list } => {
            if zh {
                format!("{}对该物质不设数量门槛：任何数量均受管制。", n.list(list))
            } else {
                format!(
                    "{} sets no threshold for it: every transaction is regulated, whatever the size.",
                    n.list(list)
                )
            }
        }
        Reason::AtOrAboveThreshold {
            list,
            quantity,
            threshold,
        } => {
            if zh {
                format!(
                    "数量{quantity}达到或超过{}的门槛{threshold}。",
                    n.list(list)
                )
            } else {
                format!(
                    "The quantity, {quantity}, meets the threshold of {threshold} under {}.",
                    n.list(list)
                )
            }
        }
        Reason::BelowThreshold {
            list,
            quantity,
            threshold,
        } => {
            if zh {
                format!("数量{quantity}低于{}的门槛{threshold}。", n.list(list))
            } else {
                format!(
                    "The quantity, {quantity}, is below the threshold of {threshold} under {}.",
                    n.list(list)
                )
            }
        }
        Reason::ThresholdOnWholeMixture { list } => {
            if zh {
                format!("{}对该物质按整个混合物的重量计算门槛。", n.list(list))
            } else {
                format!(
                    "Under {} the threshold is applied to the weight of the whole mixture.",
                    n.list(list)
                )
            }
        }
        Reason::QuantityMissing { list } => {
            if zh {
                format!("未填写数量，无法适用{}的门槛。", n.list(list))
            } else {
                format!(
                    "No quantity is given, so the threshold of {} cannot be applied.",
                    n.list(list)
                )
            }
        }
        Reason::SaltBaseWeightUnknown {
            list,
            quantity,
            threshold,
        } => {
            if zh {
                format!(
                    "盐的重量{quantity}达到{}的门槛{threshold}，但门槛按碱基重量计算，换算系数未收录。",
                    n.list(list)
                )
            } else {
                format!(
                    "The salt's own weight, {quantity}, meets the threshold of {threshold} under {}, but the threshold is by base weight and the conversion factor is not on file.",
                    n.list(list)
                )
            }
        }
        Reason::ThresholdUnitMismatch { list, quantity } => {
            if zh {
                format!(
                    "数量{quantity}与{}门槛的计量单位（重量/体积）不同，无法比较。",
                    n.list(list)
                )
            } else {
                format!(
                    "The quantity, {quantity}, cannot be compared with the threshold of {}: one is a weight, the other a volume.",
                    n.list(list)
                )
            }
        }
        Reason::ThresholdNotOnFile { list } => {
            if zh {
                format!("{}适用于此类交易的门槛未收录。", n.list(list))
            } else {
                format!(
                    "The threshold of {} for this kind of transaction is not on file.",
                    n.list(list)
                )
            }
        }
        Reason::KnownGap { gap } => {
            if zh {
                format!("已知数据缺口：{}", n.gap(gap))
            } else {
                format!("Known gap in the data: {}", n.gap(gap))
            }
        }
        Reason::ChemicalNotIdentified { input } => {
            if zh {
                format!("无法识别化学品“{input}”。")
            } else {
                format!("The chemical '{input}' is not identified.")
            }
        }
        Reason::AmbiguousChemical { input, candidates } => {
            if zh {
                format!(
                    "“{input}”对应多种化学品：{}。请选择其一。",
                    n.chemicals(candidates)
                )
            } else {
                format!(
                    "'{input}' matches several chemicals: {}. Choose one.",
                    n.chemicals(candidates)
                )
            }
        }
        Reason::InvalidCas {
            number,
            expected,
            found,
            ..
        } => input_problem_text(
            &InputProblem::InvalidCas {
                number: number.clone(),
                expected: *expected,
                found: *found,
            },
            lang,
        ),
        Reason::InvalidLine { problem } => input_problem_text(problem, lang),
        Reason::RulesNotOnFile { side, country } => match (side, zh) {
            (Side::Export, false) => format!(
                "The export rules of {} are not on file.",
                n.country(country)
            ),
            (Side::Export, true) => format!("{}的出口规定未收录。", n.country(country)),
            (Side::Import, false) => format!(
                "The import rules of {} are not on file.",
                n.country(country)
            ),
            (Side::Import, true) => format!("{}的进口规定未收录。", n.country(country)),
        },
        Reason::TransitRulesNotOnFile { country } => {
            if zh {
                format!(
                    "货物过境{}：该国对过境、转运货物的规定未收录，以下依其进口规定判断。",
                    n.country(country)
                )
            } else {
                format!(
                    "The goods pass through {}: its rules for transit and transshipment are not on file; its import rules are shown.",
                    n.country(country)
                )
            }
        }
        Reason::DataCurrentTo { regime, date } => {
            if zh {
                format!("{}的数据截至{date}，此后的变化未反映。", n.regime(regime))
            } else {
                format!(
                    "The data on {} is current to {date}; later changes are not reflected.",
                    n.regime(regime)
                )
            }
        }
        Reason::Action { regime, obligation } => n
            .action(regime, *obligation)
            .unwrap_or_else(|| obligation_label(*obligation, lang).to_owned()),
        Reason::StructureCovered {
            list,
            chemical,
            family,
            kinds,
            atoms,
        } => {
            let wording = catalogue
                .families
                .iter()
                .find(|f| f.id == *family)
                .map(|f| f.wording.as_str())
                .unwrap_or_default();
            let what = derivative_text(kinds, &n.chemical(chemical), lang);
            let atoms = atom_numbers(atoms);
            if zh {
                format!(
                    "该结构为{what}（原子{atoms}与其母核匹配）；{}的措辞涵盖此类物质：“{wording}”。",
                    n.list(list)
                )
            } else {
                format!(
                    "The structure is {what} (atoms {atoms} match its core); {} covers it: \"{wording}\".",
                    n.list(list)
                )
            }
        }
        Reason::StructureSharesCore {
            list,
            chemical,
            kinds,
            atoms,
        } => {
            let what = derivative_text(kinds, &n.chemical(chemical), lang);
            let atoms = atom_numbers(atoms);
            if zh {
                format!(
                    "该结构含有{}的母核（原子{atoms}），为{what}；{}的措辞未明确涵盖此类衍生物，需人工审核。",
                    n.chemical(chemical),
                    n.list(list)
                )
            } else {
                format!(
                    "The structure contains the core of {} (atoms {atoms}) and is {what}; the wording of {} does not clearly cover this kind of derivative: review it.",
                    n.chemical(chemical),
                    n.list(list)
                )
            }
        }
        Reason::PossiblySameSubstance { chemical, other } => {
            let (chemical, other) = (n.chemical(chemical), n.chemical(other));
            if zh {
                format!(
                    "{chemical}可能与{other}为同一物质，现有资料未说明二者是否相同。{other}在此可能须办理，故不能凭“{chemical}”之名判定无需办理；以下理由针对{other}。"
                )
            } else {
                format!(
                    "{chemical} may be the same substance as {other}: nothing on file says whether they are. {other} may need this here, so it is not cleared on the name {chemical}; the reasons that follow are {other}'s."
                )
            }
        }
        Reason::SaltOf { chemical, parent } => {
            let (chemical, parent) = (n.chemical(chemical), n.chemical(parent));
            if zh {
                format!(
                    "{chemical}是{parent}的盐，{parent}的列管条目按盐类判定；以下理由针对作为盐的{parent}。"
                )
            } else {
                format!(
                    "{chemical} is a salt of {parent}, whose listings judge it as a salt; the reasons that follow are {parent}'s, for its salts."
                )
            }
        }
        Reason::IsomerOf { chemical, parent } => {
            let (chemical, parent) = (n.chemical(chemical), n.chemical(parent));
            if zh {
                format!(
                    "{chemical}是{parent}的立体异构体（或外消旋体）：{parent}的列管条目若其范围包括异构体，即涵盖{chemical}（见条目范围），故不能凭“{chemical}”之名判定无需办理；以下理由针对{parent}。"
                )
            } else {
                format!(
                    "{chemical} is a stereoisomer (or racemic form) of {parent}: {parent}'s listings cover it where their scope takes in its isomers (see the scope below), so it is not cleared on the name {chemical}; the reasons that follow are {parent}'s."
                )
            }
        }
        Reason::PossiblyInGroup { chemical, group } => {
            let (chemical, group) = (n.chemical(chemical), n.chemical(group));
            if zh {
                format!(
                    "“{group}”条目的表述是开放的（“等”），可能涵盖{chemical}，现有资料未说明是否涵盖。该条目在此可能须办理，故不能凭“{chemical}”之名判定无需办理；以下理由针对该条目。"
                )
            } else {
                format!(
                    "The entry '{group}' is worded open-endedly and may cover {chemical}, which it does not name: nothing on file says whether it does. The entry may need this here, so it is not cleared on the name {chemical}; the reasons that follow are the entry's."
                )
            }
        }
        Reason::MayContain {
            chemical,
            component,
        } => {
            let (chemical, component) = (n.chemical(chemical), n.chemical(component));
            if zh {
                format!(
                    "{chemical}可能含有{component}，其含量未从名称得知：{component}的列管条目按含{component}的混合物判定，故不能凭“{chemical}”之名判定无需办理，须查明{component}的含量；以下理由针对含{component}的混合物。"
                )
            } else {
                format!(
                    "{chemical} may contain {component}, at a content its name does not give: {component}'s listings judge it as a mixture containing {component}, so it is not cleared on the name {chemical} until the content is known; the reasons that follow are {component}'s, for mixtures containing it."
                )
            }
        }
        Reason::GroupMember { group, member } => {
            let (group, member) = (n.chemical(group), n.chemical(member));
            if zh {
                format!(
                    "本行所填为类别条目“{group}”，而非单一物质：其成员{member}在此须办理，故不能凭类别名称判定无需办理；请填写实际货物的名称。以下理由针对{member}。"
                )
            } else {
                format!(
                    "The line names the group entry '{group}', not one substance: its member {member} needs this here, so the line is not cleared on the group's name; name the substance shipped. The reasons that follow are {member}'s."
                )
            }
        }
        Reason::ReadAsSalt { input, chemical } => {
            let chemical = n.chemical(chemical);
            if zh {
                format!(
                    "“{input}”按{chemical}的盐识别，并按各列管条目对盐类的规定判定；如货物并非该盐，请按实际名称填写。"
                )
            } else {
                format!(
                    "'{input}' was read as a salt of {chemical} and judged under the listings' rules for its salts; if the goods are not that salt, name them as they are."
                )
            }
        }
        Reason::ReadAsForm {
            input,
            chemical,
            salt,
        } => {
            let chemical = n.chemical(chemical);
            match (zh, salt) {
                (true, false) => format!(
                    "“{input}”按{chemical}的立体异构体、外消旋体、水合物或无水物识别：{chemical}的列管条目所要求的照旧适用，但不能凭此名称判定无需办理；该形式是否在列管范围内，以条目的范围说明为准。"
                ),
                (true, true) => format!(
                    "“{input}”按{chemical}某种盐的立体异构体、外消旋体、水合物或无水物识别，并按盐类判定：{chemical}的列管条目所要求的照旧适用，但不能凭此名称判定无需办理；该形式是否在列管范围内，以条目的范围说明为准。"
                ),
                (false, false) => format!(
                    "'{input}' was read as {chemical} named as a stereoisomer, the racemate, a hydrate or the anhydrous form: what {chemical}'s listings require stands, but nothing is cleared on this name; whether a listing takes in this form is for its scope to say."
                ),
                (false, true) => format!(
                    "'{input}' was read as a salt of {chemical} named as a stereoisomer, the racemate, a hydrate or the anhydrous form, and judged as the salt: what {chemical}'s listings require stands, but nothing is cleared on this name; whether a listing takes in this form is for its scope to say."
                ),
            }
        }
        Reason::IdentifiedByCustomsCode { input } => {
            if zh {
                format!(
                    "化学品按所填海关编码“{input}”识别：同一编码可能涵盖其他化学品，仅凭编码不能判定无需许可；请填写化学品名称或CAS号以确认。"
                )
            } else {
                format!(
                    "The chemical was taken from the customs code '{input}': a code can cover other chemicals too, so nothing is cleared on the code alone; give the chemical's name or CAS number to settle it."
                )
            }
        }
    }
}

/// Atom numbers as the officer counts them (from 1), e.g. "1-7, 9".
pub(crate) fn atom_numbers(atoms: &[usize]) -> String {
    let mut sorted: Vec<usize> = atoms.iter().map(|a| a + 1).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < sorted.len() {
        let start = sorted[index];
        let mut end = start;
        while index + 1 < sorted.len() && sorted[index + 1] == end + 1 {
            index += 1;
            end = sorted[index];
        }
        parts.push(if end > start {
            format!("{start}-{end}")
        } else {
            start.to_string()
        });
        index += 1;
    }
    parts.join(", ")
}

/// "a carbamate of 4-piperidone", "a salt of an amide of 4-AP", "4-AP itself".
pub fn derivative_text(
    kinds: &[crate::structure::DerivativeKind],
    chemical: &str,
    lang: Lang,
) -> String {
    use crate::structure::DerivativeKind as Kind;
    let zh = lang == Lang::Zh;
    if kinds.is_empty() {
        return if zh {
            format!("{chemical}本身")
        } else {
            format!("{chemical} itself")
        };
    }
    let word = |kind: &Kind| match (kind, zh) {
        (Kind::Salt, false) => "a salt",
        (Kind::Salt, true) => "盐",
        (Kind::Ester, false) => "an ester",
        (Kind::Ester, true) => "酯",
        (Kind::Ether, false) => "an ether",
        (Kind::Ether, true) => "醚",
        (Kind::Acetal, false) => "an acetal",
        (Kind::Acetal, true) => "缩醛（缩酮）",
        (Kind::Amide, false) => "an amide",
        (Kind::Amide, true) => "酰胺",
        (Kind::Carbamate, false) => "a carbamate",
        (Kind::Carbamate, true) => "氨基甲酸酯",
        (Kind::Halide, false) => "a ring-halogenated form (halide)",
        (Kind::Halide, true) => "环上卤代物（卤化物）",
        (Kind::NSubstituted, false) => "an N-substituted form",
        (Kind::NSubstituted, true) => "N-取代物",
        (Kind::Derivative, false) => "an otherwise substituted derivative",
        (Kind::Derivative, true) => "其他取代衍生物",
    };
    let words: Vec<&str> = kinds.iter().map(word).collect();
    if zh {
        format!("{chemical}的{}", words.join("、"))
    } else {
        format!("{} of {chemical}", words.join(" and "))
    }
}
