//! Rows copied from a spreadsheet and pasted into the form: tab-separated cells, one line
//! per row, in the order chemical (name, abbreviation or CAS number), quantity, unit,
//! concentration. Cells are kept exactly as typed: a bad cell shows the form's usual error
//! under its field.

use crate::form::{LineDraft, ShipmentDraft, parse_concentration};
use crate::rules::Form;

use super::layout::Column;

/// Whether pasted text is spreadsheet rows (several cells) rather than text for one field.
pub fn is_rows(text: &str) -> bool {
    text.contains('\t')
}

/// The lines of pasted rows. Empty rows are skipped, and so is a first row of column names
/// (`chemical`, `quantity`...).
pub fn lines_from_rows(text: &str) -> Vec<LineDraft> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(b'\t')
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    for (index, record) in reader.records().enumerate() {
        // A cell with an unclosed quote ends the rows read; what came before is kept.
        let Ok(record) = record else { break };
        let cell = |i: usize| record.get(i).map_or("", str::trim);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if index == 0 && Column::from_header(cell(0)) == Some(Column::Chemical) {
            continue;
        }
        let quantity = match (cell(1), cell(2)) {
            (amount, "") => amount.to_owned(),
            ("", unit) => unit.to_owned(),
            (amount, unit) => format!("{amount} {unit}"),
        };
        let concentration = cell(3).to_owned();
        // As batch screening: a concentration below 100 % is a mixture.
        let form = if parse_concentration(&concentration).is_ok_and(|c| c < 100.0) {
            Form::Mixture
        } else {
            Form::Pure
        };
        lines.push(LineDraft {
            chemical: cell(0).to_owned(),
            form,
            concentration,
            quantity,
            smiles: String::new(),
        });
    }
    lines
}

/// Adds the pasted rows to the shipment as new lines; returns how many were added.
pub fn paste_rows(draft: &mut ShipmentDraft, text: &str) -> usize {
    let lines = lines_from_rows(text);
    let added = lines.len();
    draft.lines.extend(lines);
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_lines_with_quantity_and_unit_joined() {
        let text = "chemical\tquantity\tunit\tconcentration\r\n\
                    NPP\t25\tkg\t\r\n\
                    \r\n\
                    67-64-1\t1,000\tL\t30\r\n\
                    toluene\t150 L\r\n";
        let mut draft = ShipmentDraft::default();
        assert_eq!(paste_rows(&mut draft, text), 3);
        assert_eq!(draft.lines[0].chemical, "NPP");
        assert_eq!(draft.lines[0].quantity, "25 kg");
        assert_eq!(draft.lines[0].form, Form::Pure);
        assert_eq!(draft.lines[1].chemical, "67-64-1");
        assert_eq!(draft.lines[1].quantity, "1,000 L");
        assert_eq!(draft.lines[1].concentration, "30");
        assert_eq!(draft.lines[1].form, Form::Mixture);
        assert_eq!(draft.lines[2].quantity, "150 L");
    }

    #[test]
    fn bad_cells_are_kept_as_typed() {
        let mut draft = ShipmentDraft::default();
        paste_rows(&mut draft, "not a chemical\tlots\tkg\tstrong\n");
        assert_eq!(draft.lines[0].chemical, "not a chemical");
        assert_eq!(draft.lines[0].quantity, "lots kg");
        assert_eq!(draft.lines[0].concentration, "strong");
        assert!(is_rows("a\tb") && !is_rows("NPP"));
    }
}
