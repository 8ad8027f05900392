//! Bad input, as sentences, and the names of the fields it is found in.

use super::Lang;
use crate::rules::model::trim_number;
use crate::rules::{FieldId, InputProblem};

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
        InputProblem::NoSuchDate { text } => {
            if zh {
                format!("“{text}”这一天不存在（请检查月份和日期）。")
            } else {
                format!("'{text}' is not a day of the calendar: check the month and the day.")
            }
        }
        InputProblem::AmbiguousComma {
            text,
            as_decimal,
            as_grouped,
        } => {
            if zh {
                format!(
                    "“{text}”中的逗号无法确定含义：可读作{as_decimal}或{as_grouped}。请用小数点表示小数（如{as_decimal}），千位分隔只用于每三位数字之间（如1,500）。"
                )
            } else {
                format!(
                    "'{text}' could be read as {as_decimal} or as {as_grouped}: write a decimal point for decimals (e.g. {as_decimal}); a comma is accepted only between groups of three digits (e.g. 1,500)."
                )
            }
        }
        InputProblem::Missing => {
            if zh {
                "此项为必填项。".to_owned()
            } else {
                "A value is needed here.".to_owned()
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
        InputProblem::NotACountry { text, meant } => match (meant, zh) {
            (None, true) => format!("“{text}”不是ISO 3166-1两位国家代码。"),
            (None, false) => format!("'{text}' is not an ISO 3166-1 alpha-2 country code."),
            (Some(meant), true) => {
                format!("“{text}”不是ISO 3166-1两位国家代码。是指 {meant} 吗？")
            }
            (Some(meant), false) => {
                format!("'{text}' is not an ISO 3166-1 alpha-2 country code. Did you mean {meant}?")
            }
        },
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
        InputProblem::InvalidSmiles { error } => smiles_error_text(error, lang),
    }
}

/// What is wrong with a SMILES, naming the character (counted from 1).
pub fn smiles_error_text(error: &crate::structure::SmilesError, lang: Lang) -> String {
    use crate::structure::SmilesErrorKind as Kind;
    let at = error.position + 1;
    let zh = lang == Lang::Zh;
    let what = match (&error.kind, zh) {
        (Kind::Empty, false) => "the structure is empty".to_owned(),
        (Kind::Empty, true) => "结构式为空".to_owned(),
        (Kind::UnexpectedCharacter { character }, false) => {
            format!("unexpected character '{character}'")
        }
        (Kind::UnexpectedCharacter { character }, true) => format!("意外的字符“{character}”"),
        (Kind::UnknownElement { symbol }, false) => format!("unknown element '{symbol}'"),
        (Kind::UnknownElement { symbol }, true) => format!("未知元素“{symbol}”"),
        (Kind::UnclosedBracket, false) => "'[' is never closed".to_owned(),
        (Kind::UnclosedBracket, true) => "“[”没有闭合".to_owned(),
        (Kind::UnclosedBranch, false) => "'(' is never closed".to_owned(),
        (Kind::UnclosedBranch, true) => "“(”没有闭合".to_owned(),
        (Kind::UnmatchedClose, false) => "')' has no matching '('".to_owned(),
        (Kind::UnmatchedClose, true) => "“)”没有对应的“(”".to_owned(),
        (Kind::NothingToBond, false) => "a bond or branch with no atom before it".to_owned(),
        (Kind::NothingToBond, true) => "键或分支前没有原子".to_owned(),
        (Kind::DanglingBond, false) => "a bond with no atom after it".to_owned(),
        (Kind::DanglingBond, true) => "键后没有原子".to_owned(),
        (Kind::UnclosedRing { ring }, false) => format!("ring bond {ring} is never closed"),
        (Kind::UnclosedRing { ring }, true) => format!("环键{ring}没有闭合"),
        (Kind::InvalidRingBond { ring }, false) => {
            format!("ring bond {ring} joins an atom to itself or repeats a bond")
        }
        (Kind::InvalidRingBond { ring }, true) => format!("环键{ring}连接原子自身或重复成键"),
        (Kind::AromaticOutsideRing, false) => "an aromatic atom outside a ring".to_owned(),
        (Kind::AromaticOutsideRing, true) => "芳香原子不在环上".to_owned(),
        (Kind::TooLarge { max }, false) => format!("more than {max} atoms"),
        (Kind::TooLarge { max }, true) => format!("原子数超过{max}"),
    };
    if zh {
        format!("无法读取该SMILES结构式：第{at}个字符处{what}。")
    } else {
        format!("The SMILES cannot be read: {what} at character {at}.")
    }
}

/// The name of a field, as the form labels it.
pub fn field_label(field: FieldId, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match field {
        FieldId::Origin => lang.pick("Origin", "原产/出口国").to_owned(),
        FieldId::Destination => lang.pick("Destination", "目的国").to_owned(),
        FieldId::Transit(index) if zh => format!("第{}个过境国", index + 1),
        FieldId::Transit(index) => format!("Transit country {}", index + 1),
        FieldId::Date => lang.pick("Shipment date", "发货日期").to_owned(),
        FieldId::LineChemical(index) if zh => format!("第{}行 化学品", index + 1),
        FieldId::LineChemical(index) => format!("Line {}, chemical", index + 1),
        FieldId::LineConcentration(index) if zh => format!("第{}行 浓度", index + 1),
        FieldId::LineConcentration(index) => format!("Line {}, concentration", index + 1),
        FieldId::LineQuantity(index) if zh => format!("第{}行 数量", index + 1),
        FieldId::LineQuantity(index) => format!("Line {}, quantity", index + 1),
        FieldId::LineSmiles(index) if zh => format!("第{}行 结构式（SMILES）", index + 1),
        FieldId::LineSmiles(index) => format!("Line {}, structure (SMILES)", index + 1),
    }
}

/// English, for logs and error chains; the window and reports use [`input_problem_text`].
impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&input_problem_text(self, Lang::En))
    }
}
