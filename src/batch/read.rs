//! Reading a shipment list: the encoding (a byte-order mark, valid UTF-8, else a guess by
//! chardetng; GB18030 for Chinese Excel), the separator (comma, semicolon or tab: the one
//! that makes the header name the most layout columns), the header, then one row at a time
//! with bounded memory. UTF-16 with a byte-order mark (Excel's "Unicode text") is decoded to
//! UTF-8 on the way in. This is the only part of `batch` that reads bytes.

use std::borrow::Cow;
use std::io::{self, Chain, Cursor, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use encoding_rs::Encoding;

use super::layout::{Header, HeaderProblem};
use super::{FileProblem, RowProblem};

/// How much of the file is looked at to choose the encoding and the separator.
const SAMPLE_BYTES: usize = 64 * 1024;
/// A row longer than this stops the reading: an unclosed quote or a file that is not a CSV
/// would otherwise be read whole into one row.
pub const MAX_ROW_BYTES: u64 = 1024 * 1024;

/// What the caller may impose instead of the detection.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static Encoding>,
    pub delimiter: Option<u8>,
}

/// One row as read: its row number as a spreadsheet shows it (the header is row 1), its
/// cells in the order of the header (missing cells empty), and what is wrong with its text.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    pub row: u64,
    pub cells: Cells,
    pub problems: Vec<RowProblem>,
}

/// A row's cells as text, kept in one buffer: a row read on one thread and written out on
/// another is two allocations to make and free, not one for every cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<u32>,
}

impl Cells {
    pub fn with_capacity(cells: usize, bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(cells),
        }
    }

    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        // A row is at most MAX_ROW_BYTES long, so its length fits.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.ends[before] as usize);
        self.text.get(start..end)
    }

    /// Every cell's text, one after the other.
    pub fn joined_text(&self) -> &str {
        &self.text
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|index| self.get(index).unwrap_or(""))
    }
}

impl<'a> FromIterator<&'a str> for Cells {
    fn from_iter<I: IntoIterator<Item = &'a str>>(cells: I) -> Self {
        let mut all = Self::default();
        for cell in cells {
            all.push(cell);
        }
        all
    }
}

type Raw<R> = Chain<Cursor<Vec<u8>>, Counting<R>>;
type Source<R> = Limited<Chain<Cursor<Vec<u8>>, Utf16Decoded<Raw<R>>>>;

/// Reads a shipment list row by row.
pub struct BatchReader<R: Read> {
    csv: csv::Reader<Source<R>>,
    header: Header,
    /// How the cells are decoded (UTF-8 for a UTF-16 file, decoded on the way in).
    cell_encoding: &'static Encoding,
    /// The file's own encoding, as reported.
    encoding: &'static Encoding,
    delimiter: u8,
    record: csv::ByteRecord,
    row: u64,
    raw_bytes: Arc<AtomicU64>,
    record_start: Arc<AtomicU64>,
}

#[derive(Debug)]
struct RowTooLong;

impl std::fmt::Display for RowTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("row too long")
    }
}

impl std::error::Error for RowTooLong {}

/// Counts the bytes read from the file, for progress.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// UTF-16 turned into UTF-8 as it is read; other files pass through untouched. An unpaired
/// surrogate becomes [`NOT_UTF16`], a byte that is never valid UTF-8, so that the row it is in
/// is marked bad instead of screened with a U+FFFD in place of what the officer wrote.
struct Utf16Decoded<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    input: Vec<u8>,
    input_start: usize,
    input_end: usize,
    output: Vec<u8>,
    output_start: usize,
    output_end: usize,
    input_done: bool,
    finished: bool,
}

const DECODE_CHUNK: usize = 16 * 1024;

/// What an unpaired UTF-16 surrogate becomes on the way in (0xFF never occurs in UTF-8).
const NOT_UTF16: u8 = 0xFF;

impl<R> Utf16Decoded<R> {
    fn new(inner: R, decoder: Option<encoding_rs::Decoder>) -> Self {
        let decoding = decoder.is_some();
        Self {
            inner,
            decoder,
            input: vec![0; if decoding { DECODE_CHUNK } else { 0 }],
            input_start: 0,
            input_end: 0,
            // Each UTF-16 code unit (2 bytes) becomes at most 3 bytes of UTF-8.
            output: vec![0; if decoding { DECODE_CHUNK * 2 + 16 } else { 0 }],
            output_start: 0,
            output_end: 0,
            input_done: false,
            finished: false,
        }
    }
}

impl<R: Read> Read for Utf16Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(decoder) = &mut self.decoder else {
            return self.inner.read(buf);
        };
        loop {
            if self.output_start < self.output_end {
                let n = buf.len().min(self.output_end - self.output_start);
                buf[..n].copy_from_slice(&self.output[self.output_start..self.output_start + n]);
                self.output_start += n;
                return Ok(n);
            }
            if self.finished || buf.is_empty() {
                return Ok(0);
            }
            if self.input_start == self.input_end && !self.input_done {
                let n = self.inner.read(&mut self.input)?;
                self.input_start = 0;
                self.input_end = n;
                self.input_done = n == 0;
            }
            // One byte is kept free for the mark of an unpaired surrogate.
            let room = self.output.len() - 1;
            let (result, read, mut written) = decoder.decode_to_utf8_without_replacement(
                &self.input[self.input_start..self.input_end],
                &mut self.output[..room],
                self.input_done,
            );
            if let encoding_rs::DecoderResult::Malformed(..) = result {
                self.output[written] = NOT_UTF16;
                written += 1;
            }
            self.input_start += read;
            self.output_start = 0;
            self.output_end = written;
            if self.input_done && self.input_start == self.input_end && written == 0 {
                self.finished = true;
            }
        }
    }
}

/// Fails when one row grows past [`MAX_ROW_BYTES`].
struct Limited<R> {
    inner: R,
    read: u64,
    record_start: Arc<AtomicU64>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self
            .read
            .saturating_sub(self.record_start.load(Ordering::Relaxed))
            > MAX_ROW_BYTES
        {
            return Err(io::Error::other(RowTooLong));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// The name an encoding is reported by.
pub fn encoding_name(encoding: &'static Encoding) -> &'static str {
    if encoding == encoding_rs::GBK || encoding == encoding_rs::GB18030 {
        "GB18030"
    } else {
        encoding.name()
    }
}

fn io_problem(error: &io::Error) -> FileProblem {
    FileProblem::CannotRead {
        error: error.to_string(),
    }
}

/// The encoding of a file from its first bytes: a byte-order mark, else UTF-8 when they are
/// valid UTF-8, else chardetng's guess (GBK is read as GB18030, its superset).
fn detect_encoding(sample: &[u8], complete: bool) -> &'static Encoding {
    match std::str::from_utf8(sample) {
        Ok(_) => return encoding_rs::UTF_8,
        // Cut in the middle of a character at the end of the sample: still UTF-8.
        Err(error) if error.error_len().is_none() && !complete => return encoding_rs::UTF_8,
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, complete);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    }
}

/// The cells of the first line of `text`, split by `delimiter` outside quotes.
fn first_line_cells(text: &str, delimiter: char) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            c if c == delimiter && !quoted => cells.push(String::new()),
            c => {
                if let Some(last) = cells.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    cells
}

/// The separator that makes the header name the most layout columns (then: the most cells);
/// a comma when nothing tells.
fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0, 0);
    for delimiter in [b',', b';', b'\t'] {
        let cells = first_line_cells(text, char::from(delimiter));
        let score = (Header::recognised(&cells), cells.len());
        if score > (best.1, best.2) {
            best = (delimiter, score.0, score.1);
        }
    }
    best.0
}

/// Decodes one cell; `None` when its bytes are not valid in the encoding.
fn decode<'b>(encoding: &'static Encoding, bytes: &'b [u8]) -> Option<Cow<'b, str>> {
    if encoding == encoding_rs::UTF_8 {
        std::str::from_utf8(bytes).ok().map(Cow::Borrowed)
    } else {
        encoding.decode_without_bom_handling_and_without_replacement(bytes)
    }
}

impl<R: Read> BatchReader<R> {
    /// Opens a list: reads enough to choose the encoding and the separator, then the header.
    pub fn new(mut input: R, options: ReadOptions) -> Result<Self, FileProblem> {
        let mut sample = Vec::with_capacity(SAMPLE_BYTES);
        (&mut input)
            .take(SAMPLE_BYTES as u64)
            .read_to_end(&mut sample)
            .map_err(|e| io_problem(&e))?;
        let complete = sample.len() < SAMPLE_BYTES;
        let (bom_encoding, bom_len) = Encoding::for_bom(&sample).unwrap_or((encoding_rs::UTF_8, 0));
        let raw_bytes = Arc::new(AtomicU64::new(sample.len() as u64));
        let rest = sample.split_off(bom_len);
        let utf16 = bom_encoding != encoding_rs::UTF_8;
        // UTF-16 (Excel's "Unicode text") is decoded to UTF-8 before anything else looks at it.
        let mut decoded = Utf16Decoded::new(
            Cursor::new(rest).chain(Counting {
                inner: input,
                count: Arc::clone(&raw_bytes),
            }),
            utf16.then(|| bom_encoding.new_decoder_without_bom_handling()),
        );
        let body = if utf16 {
            let mut body = Vec::with_capacity(SAMPLE_BYTES);
            (&mut decoded)
                .take(SAMPLE_BYTES as u64)
                .read_to_end(&mut body)
                .map_err(|e| io_problem(&e))?;
            body
        } else {
            std::mem::take(decoded.inner.get_mut().0.get_mut())
        };
        let complete = if utf16 {
            body.len() < SAMPLE_BYTES
        } else {
            complete
        };
        if let Some(offset) = body.iter().position(|&b| b == 0) {
            return Err(FileProblem::NotText {
                offset: (offset + bom_len) as u64,
            });
        }
        if body.iter().all(u8::is_ascii_whitespace) && complete {
            return Err(FileProblem::Empty);
        }
        let encoding = match options.encoding {
            _ if utf16 => encoding_rs::UTF_8,
            Some(encoding) => encoding,
            None if bom_len > 0 => encoding_rs::UTF_8,
            None => detect_encoding(&body, complete),
        };
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| detect_delimiter(&encoding.decode_without_bom_handling(&body).0));

        let file_encoding = if utf16 { bom_encoding } else { encoding };
        let record_start = Arc::new(AtomicU64::new(0));
        let source = Limited {
            inner: Cursor::new(body).chain(decoded),
            read: 0,
            record_start: Arc::clone(&record_start),
        };
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(source);
        let mut record = csv::ByteRecord::new();
        if !read_record(&mut csv, &mut record, &record_start, 1)? {
            return Err(FileProblem::Empty);
        }
        let names: Vec<String> = record
            .iter()
            .map(|cell| {
                encoding
                    .decode_without_bom_handling(cell)
                    .0
                    .trim()
                    .to_owned()
            })
            .collect();
        let header = Header::new(names.clone()).map_err(|problem| match problem {
            HeaderProblem::Missing(missing) => FileProblem::MissingColumns {
                missing,
                header: names,
            },
            HeaderProblem::Duplicate {
                column,
                first,
                second,
            } => FileProblem::DuplicateColumn {
                column,
                first,
                second,
            },
        })?;
        Ok(Self {
            csv,
            header,
            cell_encoding: encoding,
            encoding: file_encoding,
            delimiter,
            record,
            row: 1,
            raw_bytes,
            record_start,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The file's encoding (UTF-16LE or UTF-16BE for a file decoded on the way in).
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Bytes of the file read so far (for progress; ahead of the rows handed out by at most
    /// a buffer).
    pub fn bytes_read(&self) -> u64 {
        self.raw_bytes.load(Ordering::Relaxed)
    }

    /// The count behind [`bytes_read`](Self::bytes_read), for a reader on another thread.
    pub(crate) fn bytes_read_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.raw_bytes)
    }

    /// The next row that has any text (rows of empty cells are skipped, their numbers kept).
    pub fn next_row(&mut self) -> Result<Option<RawRow>, FileProblem> {
        loop {
            if !read_record(
                &mut self.csv,
                &mut self.record,
                &self.record_start,
                self.row + 1,
            )? {
                return Ok(None);
            }
            self.row += 1;
            if self.record.iter().all(|cell| cell.trim_ascii().is_empty()) {
                continue;
            }
            let width = self.header.len();
            let mut problems = Vec::new();
            let mut cells = Cells::with_capacity(width, self.record.as_slice().len());
            let mut undecodable = false;
            for bytes in self.record.iter().take(width) {
                if bytes.contains(&0) {
                    return Err(FileProblem::NotText {
                        offset: self.record.position().map_or(0, csv::Position::byte),
                    });
                }
                cells.push(&decode(self.cell_encoding, bytes).unwrap_or_else(|| {
                    undecodable = true;
                    self.cell_encoding.decode_without_bom_handling(bytes).0
                }));
            }
            if undecodable {
                // A UTF-16 file is decoded on the way in: the row is not valid UTF-16.
                problems.push(RowProblem::NotText {
                    encoding: encoding_name(self.encoding),
                });
            }
            let extra = self
                .record
                .iter()
                .skip(width)
                .filter(|cell| !cell.trim_ascii().is_empty())
                .count();
            if extra > 0 {
                problems.push(RowProblem::ExtraCells {
                    count: self.record.len(),
                    header: width,
                });
            }
            while cells.len() < width {
                cells.push("");
            }
            return Ok(Some(RawRow {
                row: self.row,
                cells,
                problems,
            }));
        }
    }
}

/// Reads one record (row number `row`), turning a row that grows too long into its problem.
fn read_record<R: Read>(
    csv: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
    record_start: &AtomicU64,
    row: u64,
) -> Result<bool, FileProblem> {
    let more = csv
        .read_byte_record(record)
        .map_err(|error| match error.into_kind() {
            csv::ErrorKind::Io(io)
                if io.get_ref().is_some_and(|inner| inner.is::<RowTooLong>()) =>
            {
                FileProblem::RowTooLong {
                    row,
                    limit: MAX_ROW_BYTES,
                }
            }
            csv::ErrorKind::Io(io) => io_problem(&io),
            other => FileProblem::CannotRead {
                error: format!("{other:?}"),
            },
        })?;
    record_start.store(csv.position().byte(), Ordering::Relaxed);
    Ok(more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_kept_in_one_buffer_are_the_cells_pushed() {
        let pushed = ["PO-1", "", "醋酸酐", "", "a,\"b\"", ""];
        let cells: Cells = pushed.into_iter().collect();
        assert_eq!(cells.len(), pushed.len());
        assert_eq!(cells.iter().collect::<Vec<_>>(), pushed);
        for (index, cell) in pushed.iter().enumerate() {
            assert_eq!(cells.get(index), Some(*cell));
        }
        assert_eq!(cells.get(pushed.len()), None);
        assert!(Cells::default().is_empty());
        assert_eq!(Cells::default().get(0), None);
    }

    #[test]
    fn the_separator_is_the_one_that_names_columns() {
        assert_eq!(detect_delimiter("reference;origin;destination,x\n"), b';');
        assert_eq!(detect_delimiter("reference\torigin\tdate\n"), b'\t');
        assert_eq!(detect_delimiter("\"a;b\",reference,origin\n"), b',');
        assert_eq!(detect_delimiter(""), b',');
    }

    #[test]
    fn gb18030_is_detected() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("编号,目的国,化学品\nA,US,甲苯\n");
        assert_eq!(
            encoding_name(detect_encoding(&bytes, true)),
            "GB18030",
            "{bytes:?}"
        );
    }
}
