//! Identifiers a chemical is known by: CAS registry numbers, customs (HS) codes, and the
//! normalised form of names used for look-ups.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A CAS registry number whose check digit has been verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CasNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CasError {
    #[error("'{0}' is not a CAS number: expected digits in the form 1234567-89-0")]
    Malformed(String),
    #[error("CAS number {number} has a wrong check digit: expected {expected}, found {found}")]
    CheckDigit {
        number: String,
        expected: u32,
        found: u32,
    },
}

impl CasNumber {
    /// Parses a CAS number such as `39742-60-4`. Spaces around the parts are tolerated and
    /// full-width digits and hyphens are accepted, because numbers pasted from Chinese
    /// documents often carry them.
    pub fn parse(text: &str) -> Result<Self, CasError> {
        let folded: String = fold_width(text)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let parts: Vec<&str> = folded.split('-').collect();
        let [first, second, check] = parts.as_slice() else {
            return Err(CasError::Malformed(text.trim().to_owned()));
        };
        let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let well_formed = all_digits(first)
            && all_digits(second)
            && all_digits(check)
            && (2..=7).contains(&first.len())
            // Registry numbers have no leading zero: `00-00-0` passes the check digit but
            // is no CAS number.
            && !first.starts_with('0')
            && second.len() == 2
            && check.len() == 1;
        if !well_formed {
            return Err(CasError::Malformed(text.trim().to_owned()));
        }
        let body: Vec<u32> = first
            .chars()
            .chain(second.chars())
            .filter_map(|c| c.to_digit(10))
            .collect();
        let expected = body
            .iter()
            .rev()
            .zip(1u32..)
            .map(|(digit, weight)| digit * weight)
            .sum::<u32>()
            % 10;
        let found = check
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .unwrap_or(10);
        let number = format!("{first}-{second}-{check}");
        if expected != found {
            return Err(CasError::CheckDigit {
                number,
                expected,
                found,
            });
        }
        Ok(Self(number))
    }

    /// True when the text has the shape of a CAS number (digits-digits-digit), whether or not
    /// its check digit is right. Used to tell "a mistyped CAS" from "a name".
    pub fn looks_like(text: &str) -> bool {
        matches!(Self::parse(text), Ok(_) | Err(CasError::CheckDigit { .. }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CasNumber {
    type Error = CasError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CasNumber> for String {
    fn from(value: CasNumber) -> Self {
        value.0
    }
}

impl fmt::Display for CasNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The digits of a customs code, without the dots and spaces national tariffs print.
pub fn hs_digits(text: &str) -> Option<String> {
    let folded = fold_width(text);
    let mut digits = String::new();
    for c in folded.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' => {}
            _ => return None,
        }
    }
    (digits.len() >= 4).then_some(digits)
}

/// Folds full-width ASCII forms (common in Chinese text) to their ASCII equivalents and the
/// ideographic space to a space.
pub fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            // Typographic hyphens and dashes that end up in pasted names and CAS numbers.
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            _ => c,
        })
        .collect()
}

/// The key names are compared by: case-, space-, hyphen- and width-insensitive, with
/// common punctuation dropped, so that "N-Phenethyl-4-piperidone", "n phenethyl 4 piperidone"
/// and full-width input all meet. Chinese characters pass through unchanged.
pub fn normalize_key(text: &str) -> String {
    fold_width(text)
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '-' | '_'
                        | ','
                        | '.'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '\''
                        | '·'
                        | '、'
                        | '（'
                        | '）'
                        | '，'
                )
        })
        .flat_map(char::to_lowercase)
        .map(latin_for_greek)
        .collect()
}

/// How the name of a salt ends after its base's name, in [`normalize_key`] form, longest
/// first where one ends another ("dihydrochloride" before "hydrochloride"). Only counter-ions
/// that name a salt: "acetate" or "propionate" would as often name an ester.
const SALT_SUFFIXES: &[&str] = &[
    "dihydrochloride",
    "monohydrochloride",
    "hydrochloride",
    "2hcl",
    "hcl",
    "hydrobromide",
    "hbr",
    "hydroiodide",
    "hemisulfate",
    "hemisulphate",
    "bisulfate",
    "sulfate",
    "sulphate",
    "bitartrate",
    "tartrate",
    "citrate",
    "phosphate",
    "oxalate",
    "maleate",
    "fumarate",
    "mesylate",
    "methanesulfonate",
    "二盐酸盐",
    "盐酸盐",
    "硫酸盐",
    "氢溴酸盐",
    "氢碘酸盐",
    "磷酸盐",
    "酒石酸盐",
    "枸橼酸盐",
    "柠檬酸盐",
    "草酸盐",
    "马来酸盐",
    "富马酸盐",
    "甲磺酸盐",
];

/// How a Chinese salt's name begins before its base's name ("盐酸麻黄碱": ephedrine
/// hydrochloride).
const SALT_PREFIXES: &[&str] = &[
    "盐酸",
    "硫酸",
    "氢溴酸",
    "氢碘酸",
    "磷酸",
    "酒石酸",
    "枸橼酸",
    "柠檬酸",
    "草酸",
    "马来酸",
    "富马酸",
    "甲磺酸",
];

/// The key of the base a salt's name names, when the key (in [`normalize_key`] form) is a
/// base's name with a counter-ion before or after it: "ephedrinehydrochloride" gives
/// "ephedrine", "盐酸麻黄碱" gives "麻黄碱". Whether the base is on file is the caller's to
/// look up; `None` when no counter-ion is found or nothing would be left of the name.
///
/// The base must be at least two characters, even in Chinese, unlike a form's
/// ([`form_base_keys`]): a one-character name is as often a substituent as the base
/// ("苯甲磺酸盐" is a phenylmethanesulfonate, not benzene's mesylate), and a salt's reading
/// can clear a line where the salts rules leave salts out, so a misread could turn an
/// unknown into "not required".
pub fn salt_base_key(key: &str) -> Option<&str> {
    let base = without_affix(key, SALT_SUFFIXES, SALT_PREFIXES)?;
    (base.chars().count() >= 2).then_some(base)
}

/// How a name ends (in [`normalize_key`] form) when it names a hydrate, or the anhydrous
/// form, of what comes before it: longest first where one ends another.
const HYDRATE_SUFFIXES: &[&str] = &[
    "monohydrate",
    "hemihydrate",
    "sesquihydrate",
    "dihydrate",
    "trihydrate",
    "tetrahydrate",
    "pentahydrate",
    "hexahydrate",
    "hydrate",
    "anhydrous",
    "一水合物",
    "二水合物",
    "三水合物",
    "半水合物",
    "水合物",
    "无水物",
];

/// How a name begins (in [`normalize_key`] form) when it names the anhydrous form of what
/// follows.
const ANHYDROUS_PREFIXES: &[&str] = &["anhydrous", "无水"];

/// Chinese prefixes naming a stereoisomer or the racemate of what follows ("左旋麻黄碱").
const STEREO_PREFIXES_ZH: &[&str] = &["外消旋", "消旋", "左旋", "右旋"];

/// Whether `descriptor` (what stands in brackets, or before a hyphen, at the start of a
/// name) is a stereo descriptor: `+`, `-`, `±`, `d`, `l`, `dl`, `rac`, `meso`, `E`, `Z`, or
/// CIP labels with or without locants (`R`, `S`, `RS`, `1R,2S`, `R*`).
fn is_stereo_descriptor(descriptor: &str) -> bool {
    let compact: String = descriptor.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = compact.to_lowercase();
    if matches!(
        lower.as_str(),
        "+" | "-"
            | "−"
            | "±"
            | "+/-"
            | "+/−"
            | "+-"
            | "d"
            | "l"
            | "dl"
            | "d,l"
            | "rac"
            | "meso"
            | "e"
            | "z"
    ) {
        return true;
    }
    !lower.is_empty()
        && lower.split(',').all(|part| {
            let label = part.trim_start_matches(|c: char| c.is_ascii_digit());
            let label = label.strip_suffix('*').unwrap_or(label);
            matches!(label, "r" | "s" | "rs" | "sr")
        })
}

/// Chinese prefixes naming the racemate of what follows: a subset of
/// [`STEREO_PREFIXES_ZH`].
const RACEMIC_PREFIXES_ZH: &[&str] = &["外消旋", "消旋"];

/// Whether a stereo descriptor (as [`is_stereo_descriptor`] takes it) names the racemate:
/// `±`, `dl`, `rac`. `d`, `l`, `+`, `−` and CIP labels name one stereoisomer; `RS` is left
/// with them, as a form, since nothing on file says how officers use it.
fn is_racemic_descriptor(descriptor: &str) -> bool {
    let compact: String = descriptor.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        compact.to_lowercase().as_str(),
        "±" | "+/-" | "+/−" | "+-" | "dl" | "d,l" | "rac"
    )
}

/// `text` without the first stereo descriptor it starts with: "(1R,2S)-ephedrine",
/// "(+)-pseudoephedrine", "dl-ephedrine", "rac-…", "racemic …", "左旋麻黄碱", and whether that
/// descriptor names the racemate ("(±)-", "dl-", "rac-", "racemic", "消旋"). A descriptor
/// without brackets counts only before a hyphen, so a name that merely starts with "d" or
/// "l" keeps it. `None` when the text starts with no descriptor, or is nothing else.
fn without_stereo_descriptor(text: &str) -> Option<(&str, bool)> {
    let rest = text.trim();
    let (after, racemic) = if let Some(inner) = rest.strip_prefix(['(', '[', '（']) {
        inner
            .find([')', ']', '）'])
            .filter(|&end| is_stereo_descriptor(&inner[..end]))
            .map(|end| {
                let after = &inner[end..];
                let close = after.chars().next().map_or(0, char::len_utf8);
                (
                    after[close..].trim_start_matches(['-', '−', ' ']),
                    is_racemic_descriptor(&inner[..end]),
                )
            })
    } else if let Some(after) = rest
        .strip_prefix("racemic ")
        .or_else(|| rest.strip_prefix("Racemic "))
    {
        Some((after, true))
    } else if let Some(prefix) = STEREO_PREFIXES_ZH
        .iter()
        .find(|prefix| rest.starts_with(**prefix))
    {
        Some((&rest[prefix.len()..], RACEMIC_PREFIXES_ZH.contains(prefix)))
    } else {
        rest.find(['-', '−'])
            .filter(|&end| end <= 5 && is_stereo_descriptor(&rest[..end]))
            .map(|end| {
                let after = &rest[end..];
                let hyphen = after.chars().next().map_or(0, char::len_utf8);
                (&after[hyphen..], is_racemic_descriptor(&rest[..end]))
            })
    }?;
    let after = after.trim_start();
    (!after.is_empty()).then_some((after, racemic))
}

/// `key` without the words that say it is a hydrate or anhydrous.
fn without_water(key: &str) -> Option<&str> {
    without_affix(key, HYDRATE_SUFFIXES, ANHYDROUS_PREFIXES)
}

/// `key` without the first of `suffixes` it ends with or, failing that, the first of
/// `prefixes` it starts with.
fn without_affix<'k>(key: &'k str, suffixes: &[&str], prefixes: &[&str]) -> Option<&'k str> {
    suffixes
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))
        .or_else(|| prefixes.iter().find_map(|prefix| key.strip_prefix(prefix)))
}

/// A key [`form_base_keys`] gives, with what was taken off to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormKey {
    /// The name's key (in [`normalize_key`] form) without the words taken off.
    pub key: String,
    /// At least one stereo descriptor was taken off, and each named the racemate ("(±)-",
    /// "dl-", "rac-", "racemic", "消旋"): the name may be that of the racemate of `key`.
    pub racemic: bool,
    /// The words saying it is a hydrate or anhydrous were taken off.
    pub dry: bool,
}

/// Whether a key is long enough to be read as a name on its own. One Latin letter is no
/// chemical's name; one Chinese character may be (苯, benzene).
fn long_enough(key: &str) -> bool {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(_), Some(_)) => true,
        (Some(only), None) => !only.is_ascii(),
        _ => false,
    }
}

/// The keys of the names a form of a chemical may be named after, the least taken off
/// first: the name without what says it is a hydrate or anhydrous ("monohydrate",
/// "一水合物", "anhydrous"), then without its first stereo descriptor ("(1R,2S)-", "d-",
/// "左旋") and also without its water, and so on for each further descriptor.
/// "消旋麻黄素一水合物" gives "消旋麻黄素" (racephedrine, on file as such) before "麻黄素";
/// "l-ephedrine hydrochloride monohydrate" ends with "ephedrinehydrochloride" (a salt's
/// name, which the caller may read with [`salt_base_key`]). A one-character Chinese key
/// ("无水苯" gives "苯") is kept: these words never clear a line (see
/// [`super::catalogue::MatchKind::FormName`]). Whether a name is on file is the caller's to
/// look up; empty when the name says no such form or nothing would be left of it.
pub fn form_base_keys(text: &str) -> Vec<FormKey> {
    let mut keys = Vec::new();
    let mut rest = Some((text, false));
    let mut stripped = false;
    // Whether every descriptor taken off so far named the racemate.
    let mut all_racemic = true;
    while let Some((name, racemic)) = rest {
        all_racemic &= racemic || !stripped;
        let racemic = stripped && all_racemic;
        let key = normalize_key(name);
        let dry = without_water(&key).map(|dry| FormKey {
            key: dry.to_owned(),
            racemic,
            dry: true,
        });
        if stripped {
            keys.push(FormKey {
                key,
                racemic,
                dry: false,
            });
        }
        keys.extend(dry);
        rest = without_stereo_descriptor(name);
        stripped = true;
        if keys.len() > 8 {
            break;
        }
    }
    keys.retain(|form| long_enough(&form.key));
    keys
}

/// The one CAS-shaped number in a text (2 to 7 digits, 2 digits, 1 digit, joined by hyphens,
/// standing alone), and the text without it and without the words that label it ("CAS",
/// "CAS No.", "CAS#", "CAS RN", brackets, a colon or a comma around it). `None` when the
/// text holds no such number or more than one.
pub fn cas_in_text(text: &str) -> Option<(&str, String)> {
    let bytes = text.as_bytes();
    let mut found: Option<(usize, usize)> = None;
    let mut start = 0;
    while start < bytes.len() {
        if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_alphanumeric())
        {
            start += 1;
            continue;
        }
        let digits = |from: usize| {
            bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let first = digits(start);
        let mut end = start + first;
        let shaped = (2..=7).contains(&first)
            && bytes.get(end) == Some(&b'-')
            && digits(end + 1) == 2
            && {
                end += 3;
                bytes.get(end) == Some(&b'-')
            }
            && digits(end + 1) == 1
            && {
                end += 2;
                !bytes
                    .get(end)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
            };
        if shaped {
            if found.is_some() {
                return None;
            }
            found = Some((start, end));
            start = end;
        } else {
            start += first.max(1);
        }
    }
    let (start, end) = found?;
    let before = text[..start].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '(' | '[' | '（' | ':' | '：' | ',' | '，' | '#' | '.')
    });
    let before = ["CAS RN", "CAS No", "CAS no", "CAS", "cas"]
        .iter()
        .find_map(|label| before.strip_suffix(label))
        .unwrap_or(before);
    let before = before.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '(' | '[' | '（' | ',' | '，' | ';' | '；')
    });
    let after = text[end..].trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, ')' | ']' | '）' | ',' | '，' | ';' | '；')
    });
    let rest = if after.is_empty() {
        before.to_owned()
    } else if before.is_empty() {
        after.to_owned()
    } else {
        format!("{before} {after}")
    };
    Some((&text[start..end], rest))
}

/// The Latin letter a Greek letter of a chemical name is searched by: they are often written
/// out ("alpha-phenyl...") or typed as Latin.
pub(crate) fn latin_for_greek(c: char) -> char {
    match c {
        'α' => 'a',
        'β' => 'b',
        'γ' => 'g',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_salt_name_gives_its_base_key_and_nothing_else_does() {
        for (typed, base) in [
            ("ephedrine hydrochloride", "ephedrine"),
            ("Pseudoephedrine HCl", "pseudoephedrine"),
            ("4-AP 2HCl", "4ap"),
            ("4-AP dihydrochloride", "4ap"),
            ("norfentanyl oxalate", "norfentanyl"),
            ("ephedrine sulphate", "ephedrine"),
            ("盐酸麻黄素", "麻黄素"),
            ("麻黄素盐酸盐", "麻黄素"),
        ] {
            assert_eq!(salt_base_key(&normalize_key(typed)), Some(base), "{typed}");
        }
        for typed in [
            "ephedrine",
            "hydrochloride",
            "盐酸",
            "x HCl",
            "ethyl acetate",
            "盐酸苯",
            "苯甲磺酸盐",
        ] {
            assert_eq!(salt_base_key(&normalize_key(typed)), None, "{typed}");
        }
    }

    #[test]
    fn a_stereo_descriptor_or_a_hydrate_gives_the_key_of_the_name_it_is_added_to() {
        for (typed, base) in [
            ("(1R,2S)-ephedrine", "ephedrine"),
            ("(1S,2S)-(+)-pseudoephedrine", "pseudoephedrine"),
            ("(+)-pseudoephedrine", "pseudoephedrine"),
            ("(−)-ephedrine", "ephedrine"),
            ("(±)-ephedrine", "ephedrine"),
            ("d-pseudoephedrine", "pseudoephedrine"),
            ("L-ephedrine", "ephedrine"),
            ("dl-ephedrine", "ephedrine"),
            ("DL-Ephedrine HCl", "ephedrinehcl"),
            ("rac-ephedrine", "ephedrine"),
            ("racemic ephedrine", "ephedrine"),
            ("(R)-1-phenyl-2-propanone", "1phenyl2propanone"),
            ("(RS)-norephedrine", "norephedrine"),
            ("左旋麻黄碱", "麻黄碱"),
            ("消旋麻黄碱", "麻黄碱"),
            (
                "ephedrine hydrochloride monohydrate",
                "ephedrinehydrochloride",
            ),
            (
                "pseudoephedrine sulfate dihydrate",
                "pseudoephedrinesulfate",
            ),
            ("piperazine hexahydrate", "piperazine"),
            ("anhydrous piperazine", "piperazine"),
            ("l-ephedrine hemihydrate", "ephedrine"),
            ("麻黄碱一水合物", "麻黄碱"),
            ("无水哌嗪", "哌嗪"),
        ] {
            assert_eq!(
                form_base_keys(typed).last().map(|form| form.key.as_str()),
                Some(base),
                "{typed}"
            );
        }
        for typed in [
            "ephedrine",
            "dimethylamine",
            "lysergic acid",
            "d-",
            "(+)-",
            "hydrate",
            "(x)-ephedrine",
            "3-oxo-2-phenylbutanoic acid",
            "4-AP",
            "n-butyl acetate",
        ] {
            assert!(form_base_keys(typed).is_empty(), "{typed}");
        }
    }

    #[test]
    fn a_form_name_gives_the_name_without_its_descriptor_before_the_name_without_its_water() {
        let keys = |typed: &str| -> Vec<String> {
            form_base_keys(typed)
                .into_iter()
                .map(|form| form.key)
                .collect()
        };
        assert_eq!(
            keys("(±)-anhydrous ammonia"),
            ["anhydrousammonia", "ammonia"]
        );
        assert_eq!(
            keys("l-ephedrine hydrochloride monohydrate"),
            [
                "lephedrinehydrochloride",
                "ephedrinehydrochloridemonohydrate",
                "ephedrinehydrochloride"
            ]
        );
        assert_eq!(
            keys("消旋麻黄素一水合物"),
            ["消旋麻黄素", "麻黄素一水合物", "麻黄素"]
        );
        assert_eq!(keys("左旋消旋麻黄素"), ["消旋麻黄素", "麻黄素"]);
        assert_eq!(keys("ephedrine monohydrate"), ["ephedrine"]);
    }

    #[test]
    fn only_racemic_descriptors_mark_a_key_as_the_racemates() {
        let racemic = |typed: &str| -> Vec<(String, bool)> {
            form_base_keys(typed)
                .into_iter()
                .map(|form| (form.key, form.racemic))
                .collect()
        };
        for typed in [
            "racemic ephedrine",
            "Racemic ephedrine",
            "rac-ephedrine",
            "dl-ephedrine",
            "DL-ephedrine",
            "d,l-ephedrine",
            "(±)-ephedrine",
            "(+/-)-ephedrine",
        ] {
            assert_eq!(racemic(typed), [("ephedrine".to_owned(), true)], "{typed}");
        }
        assert_eq!(racemic("消旋麻黄素"), [("麻黄素".to_owned(), true)]);
        assert_eq!(racemic("外消旋麻黄素"), [("麻黄素".to_owned(), true)]);
        for typed in [
            "d-ephedrine",
            "l-ephedrine",
            "(+)-ephedrine",
            "(−)-ephedrine",
            "(-)-ephedrine",
            "(R)-ephedrine",
            "(S)-ephedrine",
            "(1R,2S)-ephedrine",
            "(RS)-ephedrine",
            "meso-ephedrine",
        ] {
            assert_eq!(racemic(typed), [("ephedrine".to_owned(), false)], "{typed}");
        }
        assert_eq!(racemic("左旋麻黄素"), [("麻黄素".to_owned(), false)]);
        // A racemate's descriptor beside one stereoisomer's names neither for certain.
        assert_eq!(
            racemic("(±)-(1R,2S)-ephedrine"),
            [
                ("1r2sephedrine".to_owned(), true),
                ("ephedrine".to_owned(), false)
            ]
        );
        assert_eq!(
            racemic("l-dl-ephedrine"),
            [
                ("dlephedrine".to_owned(), false),
                ("ephedrine".to_owned(), false)
            ]
        );
        // Water taken off says nothing about the stereo descriptors.
        let dry = form_base_keys("dl-ephedrine monohydrate");
        assert_eq!(
            dry.iter()
                .map(|form| (form.key.as_str(), form.racemic, form.dry))
                .collect::<Vec<_>>(),
            [
                ("dlephedrine", false, true),
                ("ephedrinemonohydrate", true, false),
                ("ephedrine", true, true)
            ]
        );
    }

    #[test]
    fn a_one_chinese_character_name_is_read_with_a_forms_words_and_one_letter_is_not() {
        for (typed, base) in [
            ("无水苯", "苯"),
            ("苯一水合物", "苯"),
            ("左旋苯", "苯"),
            ("(±)-苯", "苯"),
        ] {
            assert_eq!(
                form_base_keys(typed).last().map(|form| form.key.as_str()),
                Some(base),
                "{typed}"
            );
        }
        for typed in [
            "anhydrous x",
            "x monohydrate",
            "d-x",
            "(±)-x",
            "无水",
            "水合物",
        ] {
            assert!(form_base_keys(typed).is_empty(), "{typed}");
        }
    }

    #[test]
    fn a_cas_number_in_a_name_is_found_with_the_name_around_it() {
        for (typed, number, rest) in [
            (
                "N-phenethyl-4-piperidone (CAS 39742-60-4)",
                "39742-60-4",
                "N-phenethyl-4-piperidone",
            ),
            ("acetone, CAS No. 67-64-1", "67-64-1", "acetone"),
            ("acetone CAS#67-64-1", "67-64-1", "acetone"),
            ("67-64-1 acetone", "67-64-1", "acetone"),
            ("Toluene [108-88-3] 99%", "108-88-3", "Toluene 99%"),
            ("丙酮（CAS：67-64-1）", "67-64-1", "丙酮"),
            ("ephedrine HCl CAS RN 50-98-6", "50-98-6", "ephedrine HCl"),
        ] {
            assert_eq!(
                cas_in_text(typed),
                Some((number, rest.to_owned())),
                "{typed}"
            );
        }
        for typed in [
            "acetone",
            "2026-01-15",
            "lot 2024-11-5a acetone",
            "67-64-1 or 108-88-3",
            "x67-64-1",
            "1-phenyl-2-propanone",
        ] {
            assert_eq!(cas_in_text(typed), None, "{typed}");
        }
    }

    #[test]
    fn a_leading_zero_is_no_cas_number() {
        for typed in ["00-00-0", "0050-00-0", "07-00-0"] {
            assert!(
                matches!(CasNumber::parse(typed), Err(CasError::Malformed(_))),
                "{typed}"
            );
        }
        assert!(CasNumber::parse("50-00-0").is_ok());
    }

    #[test]
    fn valid_cas_numbers_parse() {
        for number in [
            "39742-60-4",
            "21409-26-7",
            "67-64-1",
            "7647-01-0",
            "2167189-50-4",
        ] {
            assert_eq!(CasNumber::parse(number).unwrap().as_str(), number);
        }
    }

    #[test]
    fn check_digit_errors_name_the_expected_digit() {
        let err = CasNumber::parse("39742-60-5").unwrap_err();
        assert_eq!(
            err,
            CasError::CheckDigit {
                number: "39742-60-5".into(),
                expected: 4,
                found: 5
            }
        );
        assert!(err.to_string().contains("expected 4"));
    }

    #[test]
    fn the_disputed_norfentanyl_number_fails_its_check_digit() {
        // The reference notes 1609-66-5 as a dataset error; the check digit agrees.
        assert!(CasNumber::parse("1609-66-1").is_ok());
        assert!(matches!(
            CasNumber::parse("1609-66-5"),
            Err(CasError::CheckDigit { .. })
        ));
    }

    #[test]
    fn malformed_cas_numbers_are_rejected() {
        for text in [
            "",
            "39742604",
            "39742-6-4",
            "3-60-4",
            "abcde-60-4",
            "39742-60-44",
            "12345678-60-4",
        ] {
            assert!(
                matches!(CasNumber::parse(text), Err(CasError::Malformed(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn full_width_and_spaced_cas_numbers_parse() {
        assert_eq!(
            CasNumber::parse("３９７４２－６０－４").unwrap().as_str(),
            "39742-60-4"
        );
        assert_eq!(
            CasNumber::parse(" 39742 - 60 - 4 ").unwrap().as_str(),
            "39742-60-4"
        );
        assert_eq!(
            CasNumber::parse("39742‐60‐4").unwrap().as_str(),
            "39742-60-4"
        );
    }

    #[test]
    fn looks_like_separates_mistyped_numbers_from_names() {
        assert!(CasNumber::looks_like("39742-60-5"));
        assert!(!CasNumber::looks_like("NPP"));
        assert!(!CasNumber::looks_like("4-AP"));
    }

    #[test]
    fn normalisation_ignores_case_space_hyphen_and_width() {
        let key = normalize_key("N-Phenethyl-4-piperidone");
        assert_eq!(key, normalize_key("n phenethyl 4 piperidone"));
        assert_eq!(
            key,
            normalize_key("Ｎ－ＰＨＥＮＥＴＨＹＬ－４－ＰＩＰＥＲＩＤＯＮＥ")
        );
        assert_eq!(normalize_key("4-ANPP"), normalize_key("4 anpp"));
        assert_eq!(normalize_key("γ-丁内酯"), "g丁内酯");
        assert_eq!(normalize_key("N-苯乙基-4-哌啶酮"), "n苯乙基4哌啶酮");
        assert_eq!(normalize_key("alpha"), "alpha");
        assert_eq!(
            normalize_key("α-phenylacetoacetamide"),
            normalize_key("a-phenylacetoacetamide")
        );
    }

    #[test]
    fn hs_digits_strip_separators() {
        assert_eq!(hs_digits("2933.39.90.73").as_deref(), Some("2933399073"));
        assert_eq!(hs_digits("2914 31 00").as_deref(), Some("29143100"));
        assert_eq!(hs_digits("NPP"), None);
        assert_eq!(hs_digits("29"), None);
    }
}
