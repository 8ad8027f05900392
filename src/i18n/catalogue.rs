//! How a listing reads in the catalogue: its dates, its mixture rule, its threshold, and
//! where it comes from.

use std::fmt::Write;

use super::{Lang, confidence_label};
use crate::rules::model::{
    Citation, MixtureRule, Period, QuantityRule, ThresholdBasis, trim_number,
};
use crate::rules::provenance::{SignatureState, UserSource};
use crate::rules::{LineAssessment, MatchKind, Resolution};

/// "<instrument>, <article> (<date>)": a citation without its confidence and link.
pub fn citation_source(citation: &Citation) -> String {
    let mut text = citation.instrument.to_string();
    if let Some(article) = &citation.article {
        let _ = write!(text, ", {article}");
    }
    if let Some(date) = citation.date {
        // Some instruments carry their date in their name already.
        let date = date.to_string();
        if !text.contains(&date) {
            let _ = write!(text, " ({date})");
        }
    }
    text
}

/// A citation in one line of text: source, confidence, link.
/// What a line's name was read as when it names a salt, or a stereoisomer, racemate or
/// hydrate, of a chemical on file ("ephedrine HCl", "(1R,2S)-ephedrine"), or a racemate on
/// file by its parent's name ("racemic ephedrine"): shown in the line's title, and under its
/// chemical field for a salt or a form. `None` for any other match.
pub fn read_as_text(matched: MatchKind, chemical_name: &str, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    Some(match matched {
        MatchKind::SaltName if zh => format!("{chemical_name}的盐"),
        MatchKind::SaltName => format!("a salt of {chemical_name}"),
        MatchKind::FormName if zh => format!("{chemical_name}的异构体、消旋体或水合物"),
        MatchKind::FormName => format!("an isomer, racemate or hydrate of {chemical_name}"),
        MatchKind::FormOfSaltName if zh => {
            format!("{chemical_name}某种盐的异构体、消旋体或水合物")
        }
        MatchKind::FormOfSaltName => {
            format!("an isomer, racemate or hydrate of a salt of {chemical_name}")
        }
        MatchKind::RacemateName if zh => format!("消旋体，即{chemical_name}"),
        MatchKind::RacemateName => format!("the racemate, on file as {chemical_name}"),
        MatchKind::Id
        | MatchKind::Name
        | MatchKind::ChineseName
        | MatchKind::Synonym
        | MatchKind::Cas
        | MatchKind::Hs
        | MatchKind::Structure => return None,
    })
}

/// A line's title when its name was read as a salt or a form of a chemical on file: what
/// was typed, then what it was read as ([`read_as_text`]), with the chemical named by
/// `name`; `None` for any other line. The title gives no CAS number: those on file are the
/// chemical's, not the salt's or the form's.
pub fn read_as_title(
    line: &LineAssessment,
    name: impl Fn(&str) -> String,
    lang: Lang,
) -> Option<String> {
    match &line.resolution {
        Resolution::Found { chemical, matched } => read_as_text(*matched, &name(chemical), lang)
            .map(|read| format!("{} ({read})", line.input)),
        _ => None,
    }
}

pub fn citation_text(citation: &Citation, lang: Lang) -> String {
    let mut text = citation_source(citation);
    let _ = write!(text, " [{}]", confidence_label(citation.confidence, lang));
    if let Some(url) = &citation.url {
        let _ = write!(text, " {url}");
    }
    text
}

/// When a listing is in force, in words.
pub fn period_text(period: &Period, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut text = match (period.from, period.from_confirmed, period.listed_by) {
        (Some(from), true, _) => {
            if zh {
                format!("自{from}起")
            } else {
                format!("from {from}")
            }
        }
        (Some(from), false, _) => {
            if zh {
                format!("生效日期未确认，最早{from}")
            } else {
                format!("start unconfirmed, at the earliest {from}")
            }
        }
        (None, _, Some(by)) => {
            if zh {
                format!("起始日期不详，至迟{by}已列管")
            } else {
                format!("start not on file; listed by {by}")
            }
        }
        (None, _, None) => {
            if zh {
                "列管日期不详".to_owned()
            } else {
                "listing date not on file".to_owned()
            }
        }
    };
    if let Some(until) = period.until {
        text.push_str(&if zh {
            format!("，至{until}止")
        } else {
            format!(", until {until}")
        });
    }
    text
}

pub fn mixture_text(rule: &MixtureRule, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    Some(match rule {
        MixtureRule::Inherit => return None,
        MixtureRule::AnyConcentration => (if zh {
            "任何浓度均受管制"
        } else {
            "controlled at any concentration"
        })
        .to_owned(),
        MixtureRule::Above(limit) => {
            if zh {
                format!("浓度高于{}%时受管制", trim_number(*limit))
            } else {
                format!("controlled above {} %", trim_number(*limit))
            }
        }
        MixtureRule::ExemptAtOrBelow(limit) => {
            if zh {
                format!("浓度不高于{}%时豁免", trim_number(*limit))
            } else {
                format!("exempt at or below {} %", trim_number(*limit))
            }
        }
        MixtureRule::ByQuantity => (if zh {
            "按数量门槛判断"
        } else {
            "judged by the quantity threshold"
        })
        .to_owned(),
        MixtureRule::Unknown => (if zh {
            "规定未收录"
        } else {
            "rule not on file"
        })
        .to_owned(),
    })
}

pub fn quantity_text(rule: &QuantityRule, explicit: bool, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    match rule {
        QuantityRule::Any if explicit => Some(
            (if zh {
                "无门槛：任何数量均受管制"
            } else {
                "none: every transaction, whatever the size"
            })
            .to_owned(),
        ),
        QuantityRule::Any => None,
        QuantityRule::Unknown => Some((if zh { "未收录" } else { "not on file" }).to_owned()),
        QuantityRule::AtLeast { amounts, basis } => {
            let amounts: Vec<String> = amounts.iter().map(ToString::to_string).collect();
            let joined = amounts.join(if zh { "或" } else { " or " });
            let basis = match (basis, zh) {
                (ThresholdBasis::WholeMixture, false) => " (weight of the whole mixture)",
                (ThresholdBasis::WholeMixture, true) => "（按整个混合物重量）",
                (_, false) => " (weight of the listed chemical)",
                (_, true) => "（按所含列管物质重量）",
            };
            Some(format!("{joined}{basis}"))
        }
    }
}

/// Where a user pack's signature stands, in words.
pub fn signature_state_text(state: &SignatureState, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match state {
        SignatureState::Trusted { signer } => {
            if zh {
                format!("由受信任的{signer}签名")
            } else {
                format!("signed by {signer}, a trusted key")
            }
        }
        SignatureState::UnknownKey { key_id } => {
            if zh {
                format!("由未受信任的密钥{key_id}签名")
            } else {
                format!("signed by a key that is not trusted ({key_id})")
            }
        }
        SignatureState::Unsigned => if zh { "未签名" } else { "unsigned" }.to_owned(),
        SignatureState::Tampered { signer } => {
            if zh {
                format!("{signer}签名后已被更改：签名不符")
            } else {
                format!("changed since {signer} signed it: the signature does not match")
            }
        }
        SignatureState::Garbled { problem } => {
            if zh {
                format!("签名文件无法读取（{problem}）")
            } else {
                format!("signature file unreadable ({problem})")
            }
        }
    }
}

/// "Rests on your own pack officer@7 (unsigned)": said with every finding that rests on a
/// user pack.
pub fn user_source_text(source: &UserSource<'_>, lang: Lang) -> String {
    let pack = format!("{}@{}", source.pack.id, source.pack.version);
    let state = source
        .signature
        .map(|state| signature_state_text(state, lang))
        .unwrap_or_else(|| {
            if lang == Lang::Zh {
                "签名未检查"
            } else {
                "signature not checked"
            }
            .to_owned()
        });
    if lang == Lang::Zh {
        format!("依据用户自建规则包 {pack}（{state}）")
    } else {
        format!("Rests on your own pack {pack} ({state})")
    }
}
