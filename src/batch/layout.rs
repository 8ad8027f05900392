//! The CSV layout of a shipment list: its columns, how a header is matched to them, and the
//! template the program writes.

use crate::i18n::{Lang, Text, tr};

/// A column of the layout. Cells of other columns are kept and passed through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Reference,
    Origin,
    Destination,
    Transit,
    Date,
    Chemical,
    Form,
    Concentration,
    Quantity,
    Consignee,
    EndUse,
    /// Optional: the substance's structure, screened against the families on file.
    Smiles,
}

impl Column {
    pub const ALL: [Self; 12] = [
        Self::Reference,
        Self::Origin,
        Self::Destination,
        Self::Transit,
        Self::Date,
        Self::Chemical,
        Self::Form,
        Self::Concentration,
        Self::Quantity,
        Self::Consignee,
        Self::EndUse,
        Self::Smiles,
    ];

    /// The column's name in the template (and in messages).
    pub fn name(self) -> &'static str {
        match self {
            Self::Reference => "reference",
            Self::Origin => "origin",
            Self::Destination => "destination",
            Self::Transit => "transit",
            Self::Date => "date",
            Self::Chemical => "chemical",
            Self::Form => "form",
            Self::Concentration => "concentration",
            Self::Quantity => "quantity",
            Self::Consignee => "consignee",
            Self::EndUse => "end use",
            Self::Smiles => "smiles",
        }
    }

    /// Whether a file without this column is refused.
    pub fn required(self) -> bool {
        matches!(
            self,
            Self::Reference
                | Self::Origin
                | Self::Destination
                | Self::Date
                | Self::Chemical
                | Self::Quantity
        )
    }

    /// The form's label of this field (for the window; also accepted as a header name, in
    /// English or Chinese).
    pub fn label(self) -> Text {
        match self {
            Self::Reference => Text::Reference,
            Self::Origin => Text::Origin,
            Self::Destination => Text::Destination,
            Self::Transit => Text::Transit,
            Self::Date => Text::ShipmentDate,
            Self::Chemical => Text::Chemical,
            Self::Form => Text::Form,
            Self::Concentration => Text::Concentration,
            Self::Quantity => Text::Quantity,
            Self::Consignee => Text::ConsigneeName,
            Self::EndUse => Text::EndUse,
            Self::Smiles => Text::Smiles,
        }
    }

    /// The column a header cell names: its template name or the form's label in English or
    /// Chinese, ignoring case, spaces and punctuation (`End use`, `end_use`, `END-USE`).
    pub fn from_header(name: &str) -> Option<Self> {
        let wanted = normalize(name);
        if wanted.is_empty() {
            return None;
        }
        Self::ALL.into_iter().find(|column| {
            normalize(column.name()) == wanted
                || Lang::ALL
                    .into_iter()
                    .any(|lang| normalize(tr(column.label(), lang)) == wanted)
        })
    }
}

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header of a file: its names as written, and where each column of the layout is.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub names: Vec<String>,
    positions: Vec<(Column, usize)>,
}

/// Why a header cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderProblem {
    Missing(Vec<Column>),
    Duplicate {
        column: Column,
        first: usize,
        second: usize,
    },
}

impl Header {
    pub fn new(names: Vec<String>) -> Result<Self, HeaderProblem> {
        let mut positions: Vec<(Column, usize)> = Vec::new();
        for (index, name) in names.iter().enumerate() {
            let Some(column) = Column::from_header(name) else {
                continue;
            };
            if let Some(&(_, first)) = positions.iter().find(|(c, _)| *c == column) {
                return Err(HeaderProblem::Duplicate {
                    column,
                    first: first + 1,
                    second: index + 1,
                });
            }
            positions.push((column, index));
        }
        let missing: Vec<Column> = Column::ALL
            .into_iter()
            .filter(|c| c.required() && !positions.iter().any(|(p, _)| p == c))
            .collect();
        if missing.is_empty() {
            Ok(Self { names, positions })
        } else {
            Err(HeaderProblem::Missing(missing))
        }
    }

    /// How many layout columns a header cell list names (used to guess the separator).
    pub fn recognised(names: &[String]) -> usize {
        names
            .iter()
            .filter(|n| Column::from_header(n).is_some())
            .count()
    }

    pub fn position(&self, column: Column) -> Option<usize> {
        self.positions
            .iter()
            .find(|(c, _)| *c == column)
            .map(|(_, i)| *i)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Separates the codes of a transit cell: spaces, semicolons or commas.
pub fn split_transit(cell: &str) -> Vec<String> {
    cell.split(|c: char| c.is_whitespace() || c == ';' || c == ',' || c == '；' || c == '，')
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The template: UTF-8 with a byte-order mark (so spreadsheets read Chinese right), commas,
/// CRLF, the header and two example rows of one shipment (delete them before use).
pub fn template() -> Vec<u8> {
    // The optional `smiles` column is left out of the template: most lists name chemicals,
    // and a column of empty cells would only puzzle. It is read wherever a file has it.
    let header: Vec<&str> = Column::ALL
        .iter()
        .filter(|c| **c != Column::Smiles)
        .map(|c| c.name())
        .collect();
    let rows: [[&str; 11]; 3] = [
        [
            "EXAMPLE-1",
            "CN",
            "US",
            "",
            "2026-01-15",
            "NPP",
            "pure",
            "",
            "25 kg",
            "Example Pharma Inc.",
            "pharmaceutical manufacture",
        ],
        [
            "EXAMPLE-1",
            "CN",
            "US",
            "",
            "2026-01-15",
            "67-64-1",
            "mixture",
            "30",
            "1,000 L",
            "Example Pharma Inc.",
            "pharmaceutical manufacture",
        ],
        [
            "EXAMPLE-2",
            "CN",
            "MX",
            "KR SG",
            "2026-02-01",
            "toluene",
            "",
            "",
            "150 L",
            "Ejemplo SA de CV",
            "paint thinner",
        ],
    ];
    let mut out = vec![0xEF, 0xBB, 0xBF];
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(&header);
    for row in rows {
        let _ = writer.write_record(row);
    }
    let _ = writer.flush();
    drop(writer);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_loosely() {
        assert_eq!(Column::from_header(" End_Use "), Some(Column::EndUse));
        assert_eq!(
            Column::from_header("DESTINATION"),
            Some(Column::Destination)
        );
        assert_eq!(Column::from_header("目的国"), Some(Column::Destination));
        assert_eq!(
            Column::from_header("Concentration %"),
            Some(Column::Concentration)
        );
        assert_eq!(Column::from_header("notes"), None);
    }

    #[test]
    fn the_template_has_every_column() {
        let text = String::from_utf8(template()).unwrap();
        let first = text.trim_start_matches('\u{feff}').lines().next().unwrap();
        let names: Vec<String> = first.split(',').map(str::to_owned).collect();
        assert!(Header::new(names).is_ok());
    }

    #[test]
    fn transit_cells_split_on_spaces_and_semicolons() {
        assert_eq!(split_transit("KR; SG,JP  DE"), ["KR", "SG", "JP", "DE"]);
    }
}
