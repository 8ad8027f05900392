//! The words around a structure drawing: its legend and what a screen reader says of it.

use super::Lang;
use super::reasons::atom_numbers;

/// What the drawing highlights.
pub enum Legend<'a> {
    /// The atoms (numbered as written, from 0) a listed chemical's core matched.
    Core {
        chemical: &'a str,
        atoms: &'a [usize],
    },
    /// The whole structure is this chemical's.
    SameAs { chemical: &'a str },
}

/// "Matched core: 4-piperidone (atoms 6-12)".
pub fn structure_legend(legend: &Legend<'_>, lang: Lang) -> String {
    match (legend, lang == Lang::Zh) {
        (Legend::Core { chemical, atoms }, false) => {
            format!("Matched core: {chemical} (atoms {})", atom_numbers(atoms))
        }
        (Legend::Core { chemical, atoms }, true) => {
            format!("匹配的母核：{chemical}（原子{}）", atom_numbers(atoms))
        }
        (Legend::SameAs { chemical }, false) => format!("The structure of {chemical}"),
        (Legend::SameAs { chemical }, true) => format!("{chemical}的结构"),
    }
}

/// "Structure drawing of CCOC(=O)N1CCC(=O)CC1; matched core of 4-piperidone highlighted:
/// N6, C7, ...": the matched atoms by symbol and number.
pub fn structure_drawing_label(
    smiles: &str,
    core: Option<(&str, &[String])>,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let mut text = if zh {
        format!("结构图：{smiles}")
    } else {
        format!("Structure drawing of {smiles}")
    };
    if let Some((chemical, atoms)) = core {
        if zh {
            text.push_str(&format!(
                "；突出显示{chemical}母核匹配的原子：{}",
                atoms.join("、")
            ));
        } else {
            text.push_str(&format!(
                "; matched core of {chemical} highlighted: {}",
                atoms.join(", ")
            ));
        }
    }
    text
}
