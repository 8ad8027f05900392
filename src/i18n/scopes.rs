//! A listing's scope in Chinese. Scopes are data, worded in English after their sources (or
//! quoting them); the Chinese window shows the translation of a scope found here, and the
//! scope as written otherwise. Matching is on the whole text, so a scope edited in the data
//! falls back to its own words rather than to a translation of something else.

use std::borrow::Cow;

use super::Lang;

/// Whole scopes as the data words them, with their Chinese.
const SCOPES_ZH: &[(&str, &str)] = &[
    ("and its salts", "及其盐类"),
    (
        "and its salts, where such salts can exist",
        "及其可能存在的盐类",
    ),
    (
        "and its salts (CN rule: salts of Cat. 1 and Cat. 2 substances are controlled)",
        "及其盐类（中国规定：第一类、第二类物质的盐类均受管制）",
    ),
    (
        "named member of the Cat. 1 item 12 group (麻黄素类物质); salts; API and single-ingredient preparations",
        "第一类第12项类别（麻黄素类物质）中具名的成员；盐类；原料药及单方制剂",
    ),
    (
        "open-ended group: ephedrine, pseudoephedrine, racephedrine, norephedrine, methylephedrine, ephedra extract, ephedra extract powder 'etc.' (等); salts; API and single-ingredient preparations",
        "开放式类别：麻黄素、伪麻黄素、消旋麻黄素、去甲麻黄素、甲基麻黄素、麻黄浸膏、麻黄浸膏粉等；盐类；原料药及单方制剂",
    ),
    (
        "and its salts; API and single-ingredient preparations (pharmaceutical-type Cat. 1, marked *)",
        "及其盐类；原料药及单方制剂（药品类第一类，标有*）",
    ),
    (
        "its salts, optical isomers, and salts of optical isomers",
        "其盐类、光学异构体及光学异构体的盐类",
    ),
    (
        "and its salts, optical isomers, and salts of optical isomers",
        "及其盐类、光学异构体及光学异构体的盐类",
    ),
    (
        "the salts of hydrochloric and sulphuric acid are excepted",
        "盐酸盐和硫酸盐除外",
    ),
    (
        "the salts of hydrochloric acid and sulphuric acid are specifically excluded (Convention, Table II note)",
        "盐酸盐和硫酸盐明确除外（公约表二注释）",
    ),
    (
        "its salts, derivatives and analogues",
        "其盐类、衍生物及类似物",
    ),
    ("its salts and derivatives", "其盐类及衍生物"),
    (
        "its derivatives and analogues and salts of derivatives and analogues",
        "其衍生物和类似物，以及衍生物和类似物的盐类",
    ),
    (
        "Fentanyls, their salts, derivatives, and analogues and salts of derivatives and analogues",
        "芬太尼类，及其盐类、衍生物和类似物，以及衍生物和类似物的盐类",
    ),
    (
        "its isomers, and any derived product or preparation that contains it (art. 234, closing paragraphs)",
        "其异构体，以及含有该物质的任何衍生产品或制剂（第234条末段）",
    ),
    (
        "not named; item 11 (1-phenyl-2-propanone, its derivatives and analogues) may take it in",
        "未具名；第11项（1-苯基-2-丙酮及其衍生物和类似物）可能涵盖",
    ),
    (
        "not named; item 9 (3,4-methylenedioxyphenyl-2-propanone, its derivatives and analogues) may take it in",
        "未具名；第9项（3,4-亚甲基二氧苯基-2-丙酮及其衍生物和类似物）可能涵盖",
    ),
    (
        "not named; item 27 (4-piperidone, its salts, derivatives and analogues) may take it in",
        "未具名；第27项（4-哌啶酮及其盐类、衍生物和类似物）可能涵盖",
    ),
    ("its esters, and its salts", "其酯类及其盐类"),
    ("and its esters", "及其酯类"),
    ("and its optical isomers", "及其光学异构体"),
    (
        "and its optical and geometric isomers",
        "及其光学异构体和几何异构体",
    ),
    (
        "and its salts, isomers and salts of isomers",
        "及其盐类、异构体及异构体的盐类",
    ),
    (
        "and its salts, optical and geometric isomers, and salts of isomers",
        "及其盐类、光学异构体和几何异构体，以及异构体的盐类",
    ),
    ("and its salts (Category 2)", "及其盐类（第二类）"),
    (
        "and its salts if Cat. 1/2 (category UNCONFIRMED)",
        "如属第一类或第二类，则包括其盐类（类别未经证实）",
    ),
    (
        "its salts and any plant containing it",
        "其盐类及含有该物质的任何植物",
    ),
    (
        "and any essential oil containing more than 4 % safrole",
        "及黄樟素含量超过4%的任何精油",
    ),
    (
        "named derivative/analogue covered by item 9",
        "第9项所涵盖的具名衍生物或类似物",
    ),
    (
        "named derivative/analogue covered by item 11",
        "第11项所涵盖的具名衍生物或类似物",
    ),
    (
        "named derivative/analogue covered by item 27",
        "第27项所涵盖的具名衍生物或类似物",
    ),
    (
        "named derivative/analogue covered by item 30",
        "第30项所涵盖的具名衍生物或类似物",
    ),
    ("immediate precursor", "直接前体"),
    ("salts n/a", "不涉及盐类"),
    ("UNCONFIRMED", "未经证实"),
    (
        "all not-otherwise-scheduled fentanyl-related substances (class-wide)",
        "所有未另行列管的芬太尼类物质（整类列管）",
    ),
    (
        "mixtures not exempt at any concentration (as proposed)",
        "任何浓度的混合物均不豁免（按拟议规定）",
    ),
];

/// How a Mexican listing's scope ends after the name it quotes: the closing paragraph of the
/// fraction (fracción) of Art. 4 that lists it.
const MX_SCOPE_ENDINGS_ZH: &[(&str, &str)] = &[
    (
        "; with its salts and optical isomers where they can exist (fr. I closing paragraph)",
        "；包括其可能存在的盐类和光学异构体（第一项末段）",
    ),
    (
        "; with its salts where they can exist (fr. II closing paragraph)",
        "；包括其可能存在的盐类（第二项末段）",
    ),
    (
        "; the salts of hydrochloric and sulphuric acid are excepted (fr. II closing paragraph)",
        "；盐酸盐和硫酸盐除外（第二项末段）",
    ),
];

/// A listing's scope in `lang`: the Chinese of a scope found here, the scope as written
/// otherwise (and always in English).
pub fn scope_text(scope: &str, lang: Lang) -> Cow<'_, str> {
    if lang == Lang::En {
        return Cow::Borrowed(scope);
    }
    if let Some((_, zh)) = SCOPES_ZH.iter().find(|(en, _)| *en == scope) {
        return Cow::Borrowed(zh);
    }
    MX_SCOPE_ENDINGS_ZH
        .iter()
        .find_map(|(en, zh)| {
            scope
                .strip_suffix(en)
                .map(|quoted| Cow::Owned(format!("{quoted}{zh}")))
        })
        .unwrap_or(Cow::Borrowed(scope))
}

/// Every scope this module translates, for the test that each is still worded so in the data.
pub fn translated_scopes() -> impl Iterator<Item = &'static str> {
    SCOPES_ZH.iter().map(|(en, _)| *en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_translated_whole_or_by_its_mexican_ending_and_otherwise_kept() {
        assert_eq!(scope_text("and its salts", Lang::Zh), "及其盐类");
        assert_eq!(scope_text("and its salts", Lang::En), "and its salts");
        assert_eq!(
            scope_text(
                "'d) Efedrina'; with its salts and optical isomers where they can exist (fr. I closing paragraph)",
                Lang::Zh
            ),
            "'d) Efedrina'；包括其可能存在的盐类和光学异构体（第一项末段）"
        );
        // Not a whole scope found here: as written.
        assert_eq!(
            scope_text("and its salts, and more", Lang::Zh),
            "and its salts, and more"
        );
    }
}
