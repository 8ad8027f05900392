//! Everything the reader sees, in English and Simplified Chinese, from one place: verdict and
//! obligation names, the rendering of structured reasons and notes, and the UI's labels.

use serde::{Deserialize, Serialize};

use crate::form::InputProblem;
use crate::rules::model::{Confidence, Obligation, Party, Side, trim_number};
use crate::rules::{Catalogue, LineProblem, Note, Reason, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Self; 2] = [Self::En, Self::Zh];

    /// The language's own name, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::Zh => "简体中文",
        }
    }

    fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Self::Zh if !zh.is_empty() => zh,
            _ => en,
        }
    }
}

pub fn status_label(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Required, Lang::En) => "Required",
        (Status::Required, Lang::Zh) => "需要",
        (Status::NotRequired, Lang::En) => "Not required",
        (Status::NotRequired, Lang::Zh) => "不需要",
        (Status::Review, Lang::En) => "Review",
        (Status::Review, Lang::Zh) => "需人工核查",
        (Status::Prohibited, Lang::En) => "Prohibited",
        (Status::Prohibited, Lang::Zh) => "禁止",
    }
}

/// The headline for an overall verdict.
pub fn verdict_headline(status: Status, lang: Lang) -> &'static str {
    match (status, lang) {
        (Status::Required, Lang::En) => "Licences or permits required",
        (Status::Required, Lang::Zh) => "需要许可证或许可",
        (Status::NotRequired, Lang::En) => "No licence or permit required on the data on file",
        (Status::NotRequired, Lang::Zh) => "根据现有数据，无需许可证或许可",
        (Status::Review, Lang::En) => "Review needed: the tool cannot decide",
        (Status::Review, Lang::Zh) => "需人工核查：本工具无法判定",
        (Status::Prohibited, Lang::En) => "Prohibited",
        (Status::Prohibited, Lang::Zh) => "禁止",
    }
}

pub fn obligation_label(obligation: Obligation, lang: Lang) -> &'static str {
    match (obligation, lang) {
        (Obligation::ExportLicence, Lang::En) => "Export licence",
        (Obligation::ExportLicence, Lang::Zh) => "出口许可证",
        (Obligation::SpecificCountryLicence, Lang::En) => "Specific-country export licence",
        (Obligation::SpecificCountryLicence, Lang::Zh) => "特定国家出口许可",
        (Obligation::PreExportNotification, Lang::En) => "Pre-export notification",
        (Obligation::PreExportNotification, Lang::Zh) => "出口前通知",
        (Obligation::ImportPermit, Lang::En) => "Import permit",
        (Obligation::ImportPermit, Lang::Zh) => "进口许可",
        (Obligation::ImportNotification, Lang::En) => "Import notification",
        (Obligation::ImportNotification, Lang::Zh) => "进口申报",
        (Obligation::Registration, Lang::En) => "Registration",
        (Obligation::Registration, Lang::Zh) => "登记注册",
    }
}

pub fn party_label(party: Party, lang: Lang) -> &'static str {
    match (party, lang) {
        (Party::Exporter, Lang::En) => "exporter",
        (Party::Exporter, Lang::Zh) => "出口方",
        (Party::Importer, Lang::En) => "importer",
        (Party::Importer, Lang::Zh) => "进口方",
        (Party::ExportingAuthority, Lang::En) => "exporting country's authority",
        (Party::ExportingAuthority, Lang::Zh) => "出口国主管机关",
    }
}

pub fn confidence_label(confidence: Confidence, lang: Lang) -> &'static str {
    match (confidence, lang) {
        (Confidence::Official, Lang::En) => "official text",
        (Confidence::Official, Lang::Zh) => "官方文本",
        (Confidence::Secondary, Lang::En) => "secondary source",
        (Confidence::Secondary, Lang::Zh) => "二手来源",
        (Confidence::Unverified, Lang::En) => "unverified",
        (Confidence::Unverified, Lang::Zh) => "未经核实",
    }
}

/// Display names of catalogue entries, falling back to the id for anything unknown.
pub struct Names<'a> {
    catalogue: &'a Catalogue,
    lang: Lang,
}

impl<'a> Names<'a> {
    pub fn new(catalogue: &'a Catalogue, lang: Lang) -> Self {
        Self { catalogue, lang }
    }

    pub fn chemical(&self, id: &str) -> String {
        self.catalogue.chemical(id).map_or_else(
            || id.to_owned(),
            |c| self.lang.pick(&c.name_en, &c.name_zh).to_owned(),
        )
    }

    pub fn list(&self, id: &str) -> String {
        self.catalogue.list(id).map_or_else(
            || id.to_owned(),
            |l| self.lang.pick(&l.name_en, &l.name_zh).to_owned(),
        )
    }

    pub fn regime(&self, id: &str) -> String {
        self.catalogue.regime(id).map_or_else(
            || id.to_owned(),
            |r| self.lang.pick(&r.name_en, &r.name_zh).to_owned(),
        )
    }

    pub fn country(&self, code: &str) -> String {
        self.catalogue.country(code).map_or_else(
            || code.to_owned(),
            |c| format!("{} ({code})", self.lang.pick(&c.name_en, &c.name_zh)),
        )
    }

    pub fn set(&self, id: &str) -> String {
        self.catalogue.country_set(id).map_or_else(
            || id.to_owned(),
            |s| self.lang.pick(&s.name_en, &s.name_zh).to_owned(),
        )
    }

    pub fn gap(&self, id: &str) -> String {
        self.catalogue.gap(id).map_or_else(
            || id.to_owned(),
            |g| self.lang.pick(&g.summary_en, &g.summary_zh).to_owned(),
        )
    }

    pub fn document(&self, id: &str) -> String {
        self.catalogue.document(id).map_or_else(
            || id.to_owned(),
            |d| self.lang.pick(&d.name_en, &d.name_zh).to_owned(),
        )
    }

    fn action(&self, regime: &str, obligation: Obligation) -> Option<String> {
        let spec = self
            .catalogue
            .regime(regime)?
            .obligations
            .iter()
            .find(|s| s.obligation == obligation)?;
        Some(self.lang.pick(&spec.action_en, &spec.action_zh).to_owned())
    }

    fn chemicals(&self, ids: &[String]) -> String {
        ids.iter()
            .map(|id| self.chemical(id))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn lists(&self, ids: &[String]) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.list(id)).collect();
        match self.lang {
            Lang::En => names.join("; "),
            Lang::Zh => names.join("；"),
        }
    }
}

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
                format!("列管范围：{scope}")
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
                format!("CAS号{cas}有效，但不在现有数据的任何化学品中。")
            } else {
                format!("CAS {cas} is valid but belongs to no chemical on file.")
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
        Reason::InvalidCas { error, .. } => {
            if zh {
                format!("CAS号无效：{error}")
            } else {
                format!("Invalid CAS number: {error}")
            }
        }
        Reason::InvalidLine { problem } => line_problem_text(problem, lang),
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
    }
}

/// A problem found on a shipment line, worded as the same problem typed into the form.
pub fn line_problem_text(problem: &LineProblem, lang: Lang) -> String {
    input_problem_text(&InputProblem::from(problem), lang)
}

/// A problem with a typed value, as a sentence.
pub fn input_problem_text(problem: &InputProblem, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match problem {
        InputProblem::NotADate { text } => {
            if zh {
                format!("“{text}”不是YYYY-MM-DD格式的日期。")
            } else {
                format!("'{text}' is not a date in the form YYYY-MM-DD.")
            }
        }
        InputProblem::NoUnit { text } => {
            if zh {
                format!("“{text}”缺少单位：请使用g、kg、t、mL或L（如25kg）。")
            } else {
                format!("'{text}' has no unit: use g, kg, t, mL or L (e.g. 25kg).")
            }
        }
        InputProblem::NotAUnit { text } => {
            if zh {
                format!("“{text}”不是可用单位：请使用g、kg、t、mL或L。")
            } else {
                format!("'{text}' is not a unit: use g, kg, t, mL or L.")
            }
        }
        InputProblem::NotANumber { text } => {
            if zh {
                format!("“{text}”不是数字。")
            } else {
                format!("'{text}' is not a number.")
            }
        }
        InputProblem::NotPositive { text } => {
            if zh {
                format!("数量必须大于零，而不是{text}。")
            } else {
                format!("The quantity must be more than zero, not {text}.")
            }
        }
        InputProblem::ConcentrationOutOfRange { value } => {
            if zh {
                format!("浓度{}%超出0-100%范围。", trim_number(*value))
            } else {
                format!(
                    "The concentration, {} %, is over 100 % or below 0 %.",
                    trim_number(*value)
                )
            }
        }
        InputProblem::ConcentrationNeedsMixture => {
            if zh {
                "浓度低于100%时应选择“混合物”。".to_owned()
            } else {
                "A concentration below 100 % needs the form 'mixture'.".to_owned()
            }
        }
        InputProblem::NotACountry { text } => {
            if zh {
                format!("“{text}”不是ISO 3166-1两位国家代码。")
            } else {
                format!("'{text}' is not an ISO 3166-1 alpha-2 country code.")
            }
        }
        InputProblem::UnknownChemical { text } => {
            if zh {
                format!("“{text}”不是现有数据中的化学品（请输入名称、别名、缩写、CAS号或HS编码）。")
            } else {
                format!(
                    "'{text}' is not a chemical on file (give a name, synonym, abbreviation, CAS number or HS code)."
                )
            }
        }
        InputProblem::InvalidCas {
            number,
            expected,
            found,
        } => {
            if zh {
                format!("CAS号{number}校验位错误：应为{expected}，实为{found}。")
            } else {
                format!(
                    "CAS number {number} has a wrong check digit: expected {expected}, found {found}."
                )
            }
        }
        InputProblem::AmbiguousChemical { text, .. } => {
            if zh {
                format!("“{text}”对应多种化学品，请选择其一。")
            } else {
                format!("'{text}' matches several chemicals: choose one.")
            }
        }
    }
}

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
                || duty.clone(),
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
            || note.clone(),
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
                "货物没有任何品目。".to_owned()
            } else {
                "The shipment has no lines.".to_owned()
            }
        }
        Note::UnknownCountry { field, code } => {
            if zh {
                format!("{field}国家代码“{code}”不是ISO 3166-1代码。")
            } else {
                format!("The {field} country code '{code}' is not an ISO 3166-1 code.")
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

/// The labels of the window. A missing translation is a compile error: every variant has a
/// line for every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    AppTitle,
    Catalogue,
    SearchCatalogue,
    SearchHint,
    Jurisdiction,
    List,
    All,
    Name,
    Cas,
    Lists,
    NoMatches,
    Chemicals,
    AddToShipment,
    ChineseName,
    Synonyms,
    CasNumbers,
    HsCodes,
    Listings,
    Members,
    MemberOf,
    Scope,
    Threshold,
    Mixtures,
    From,
    Until,
    Source,
    Confidence,
    Note,
    NotListedAnywhere,
    Shipment,
    Reference,
    Exporter,
    Origin,
    Destination,
    Transit,
    AddTransit,
    Remove,
    ConsigneeName,
    ConsigneeAddress,
    EndUse,
    ShipmentDate,
    Today,
    DocumentsHeld,
    Lines,
    Chemical,
    Form,
    Concentration,
    Quantity,
    AddLine,
    MoveUp,
    MoveDown,
    RemoveLine,
    NoLinesYet,
    FilterCountries,
    ChooseCountry,
    Results,
    AsOf,
    DataVersion,
    Line,
    Reasons,
    Sources,
    DocumentChecklist,
    Held,
    Missing,
    GapsThatMadeReview,
    Notes,
    DutyNote,
    NothingToAssess,
    FindingsNeedReview,
    View,
    Language,
    Theme,
    ThemeLight,
    ThemeDark,
    ThemeSystem,
    File,
    Help,
    AboutData,
    Pure,
    Salt,
    Mixture,
    Party,
    Close,
    Candidates,
    Untitled,
    New,
    OpenMenu,
    OpenRecent,
    NoRecent,
    Save,
    SaveAs,
    CloseCase,
    Quit,
    Discard,
    Cancel,
    Ok,
    UnsavedChanges,
    SaveChangesTo,
    RecentPruned,
    RecoveryUnreadable,
    RecoveryFound,
    Restore,
    DialogFailed,
    NoDialog,
    TypePath,
    Tampered,
    Migrated,
    CannotOpen,
    CannotSave,
    OfficerNotes,
    Decision,
    DecidedBy,
    DecisionDate,
    DecisionNote,
    OutcomeOpen,
    OutcomeCleared,
    OutcomeHeld,
    OutcomeEscalated,
    OutcomeRefused,
    SinceSaved,
    SavedVerdict,
    VerdictNow,
    NothingChanged,
    FindingAdded,
    FindingRemoved,
}

pub fn tr(text: Text, lang: Lang) -> &'static str {
    use Text::*;
    let (en, zh) = match text {
        AppTitle => ("Precursor Desk", "易制毒化学品合规助手"),
        Catalogue => ("Catalogue", "化学品目录"),
        SearchCatalogue => ("Search catalogue", "搜索目录"),
        SearchHint => (
            "Name, 中文名, abbreviation, CAS or HS code",
            "名称、中文名、缩写、CAS号或HS编码",
        ),
        Jurisdiction => ("Jurisdiction", "法域"),
        List => ("List", "清单"),
        All => ("All", "全部"),
        Name => ("Name", "名称"),
        Cas => ("CAS", "CAS号"),
        Lists => ("Lists", "所在清单"),
        NoMatches => (
            "No chemical on file matches.",
            "现有数据中没有匹配的化学品。",
        ),
        Chemicals => ("chemicals", "种化学品"),
        AddToShipment => ("Add to shipment", "加入货物"),
        ChineseName => ("Chinese name", "中文名"),
        Synonyms => ("Synonyms and abbreviations", "别名和缩写"),
        CasNumbers => ("CAS numbers", "CAS号"),
        HsCodes => ("HS / customs codes", "HS/海关编码"),
        Listings => ("Listings", "列管情况"),
        Members => ("Members on file", "已收录成员"),
        MemberOf => ("Member of", "所属类别"),
        Scope => ("Scope", "范围"),
        Threshold => ("Threshold", "门槛"),
        Mixtures => ("Mixtures", "混合物"),
        From => ("from", "自"),
        Until => ("until", "至"),
        Source => ("Source", "来源"),
        Confidence => ("Confidence", "可信度"),
        Note => ("Note", "备注"),
        NotListedAnywhere => ("Not on any list on file.", "不在现有数据的任何清单中。"),
        Shipment => ("Shipment", "货物"),
        Reference => ("Reference", "编号"),
        Exporter => ("Exporter", "出口方"),
        Origin => ("Origin", "原产/出口国"),
        Destination => ("Destination", "目的国"),
        Transit => ("Transit countries", "过境国"),
        AddTransit => ("Add transit country", "添加过境国"),
        Remove => ("Remove", "删除"),
        ConsigneeName => ("Consignee", "收货人"),
        ConsigneeAddress => ("Consignee address", "收货人地址"),
        EndUse => ("End use", "最终用途"),
        ShipmentDate => ("Shipment date", "发货日期"),
        Today => ("Today", "今天"),
        DocumentsHeld => ("Documents held", "已备文件"),
        Lines => ("Lines", "品目"),
        Chemical => ("Chemical", "化学品"),
        Form => ("Form", "形态"),
        Concentration => ("Concentration %", "浓度 %"),
        Quantity => ("Quantity", "数量"),
        AddLine => ("Add line", "添加品目"),
        MoveUp => ("Move line up", "上移"),
        MoveDown => ("Move line down", "下移"),
        RemoveLine => ("Remove line", "删除品目"),
        NoLinesYet => (
            "No lines yet: pick a chemical in the catalogue and press Add to shipment, or add a line and type a name or CAS number.",
            "尚无品目：在目录中选择化学品并点击“加入货物”，或添加品目后输入名称或CAS号。",
        ),
        FilterCountries => ("Filter countries", "筛选国家"),
        ChooseCountry => ("Choose a country", "选择国家"),
        Results => ("Results", "评估结果"),
        AsOf => ("As of", "评估日期"),
        DataVersion => ("Data version", "数据版本"),
        Line => ("Line", "品目"),
        Reasons => ("Why", "理由"),
        Sources => ("Sources", "依据"),
        DocumentChecklist => ("Documents to assemble", "需准备的文件"),
        Held => ("held", "已备"),
        Missing => ("missing", "缺少"),
        GapsThatMadeReview => (
            "Known gaps behind the review findings",
            "导致需人工核查的已知数据缺口",
        ),
        Notes => ("Notes", "提示"),
        DutyNote => ("Duty", "关税"),
        NothingToAssess => (
            "Add a line to the shipment to see what it needs.",
            "添加品目后即可查看所需许可。",
        ),
        FindingsNeedReview => ("findings need review", "项需人工核查"),
        View => ("View", "视图"),
        Language => ("Language", "语言"),
        Theme => ("Theme", "主题"),
        ThemeLight => ("Light", "浅色"),
        ThemeDark => ("Dark", "深色"),
        ThemeSystem => ("Follow the system", "跟随系统"),
        File => ("File", "文件"),
        Help => ("Help", "帮助"),
        AboutData => ("About the rule content", "关于规则数据"),
        Pure => ("pure", "纯品"),
        Salt => ("salt", "盐"),
        Mixture => ("mixture", "混合物"),
        Party => ("by", "办理方"),
        Close => ("Close", "关闭"),
        Candidates => ("Candidates", "候选"),
        Untitled => ("Untitled case", "未命名案卷"),
        New => ("New", "新建"),
        OpenMenu => ("Open…", "打开…"),
        OpenRecent => ("Open Recent", "最近打开"),
        NoRecent => ("No recent files", "无最近文件"),
        Save => ("Save", "保存"),
        SaveAs => ("Save As…", "另存为…"),
        CloseCase => ("Close", "关闭案卷"),
        Quit => ("Quit", "退出"),
        Discard => ("Discard", "放弃"),
        Cancel => ("Cancel", "取消"),
        Ok => ("OK", "确定"),
        UnsavedChanges => ("Unsaved changes", "未保存的修改"),
        SaveChangesTo => ("Save the changes to", "是否保存对以下案卷的修改："),
        RecentPruned => (
            "Removed from Open Recent because they no longer exist:",
            "以下文件已不存在，已从最近打开中移除：",
        ),
        RecoveryUnreadable => (
            "A recovery file was found but cannot be read:",
            "发现恢复文件，但无法读取：",
        ),
        RecoveryFound => (
            "Unsaved work from the last session was recovered",
            "已找到上次未保存的工作",
        ),
        Restore => ("Restore", "恢复"),
        DialogFailed => (
            "The file dialog or the file operation stopped unexpectedly; nothing was changed.",
            "文件对话框或文件操作意外中止；未做任何更改。",
        ),
        NoDialog => ("No file dialog is available", "无法显示文件对话框"),
        TypePath => (
            "Type the full path of the case file",
            "请输入案卷文件的完整路径",
        ),
        Tampered => (
            "This file was changed outside Precursor Desk since it was saved (its digest does not match). It has been opened: check its content before relying on it.",
            "此文件在保存后被本程序以外的方式修改（摘要不符）。文件已打开，请先核对内容。",
        ),
        Migrated => (
            "The case file was upgraded from schema version",
            "案卷文件已从以下格式版本升级：",
        ),
        CannotOpen => ("Cannot open the case:", "无法打开案卷："),
        CannotSave => (
            "The case was not saved and is still open with its changes:",
            "案卷未保存，修改仍保留在窗口中：",
        ),
        OfficerNotes => ("Officer's notes", "审核备注"),
        Decision => ("Decision", "决定"),
        DecidedBy => ("Decided by", "决定人"),
        DecisionDate => ("Decision date", "决定日期"),
        DecisionNote => ("Reason for the decision", "决定理由"),
        OutcomeOpen => ("open", "待定"),
        OutcomeCleared => ("cleared to ship", "准予发运"),
        OutcomeHeld => ("held", "暂扣"),
        OutcomeEscalated => ("escalated", "上报"),
        OutcomeRefused => ("refused", "拒绝"),
        SinceSaved => ("Since the case was saved", "自案卷保存以来"),
        SavedVerdict => ("Saved verdict", "保存时结论"),
        VerdictNow => ("Verdict now", "当前结论"),
        NothingChanged => ("No finding has changed.", "各项结论均未变化。"),
        FindingAdded => ("new", "新增"),
        FindingRemoved => ("gone", "已无"),
    };
    lang.pick(en, zh)
}
