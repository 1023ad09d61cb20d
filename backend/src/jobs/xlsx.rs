//! A spreadsheet (XLSX) written as a stream: rows go in, compressed bytes come out a page at a
//! time, so a job stores them as encrypted file parts and never holds the whole file, nor writes
//! it to disk in clear (decision 0020). Every cell is text (an inline string): a mobile number
//! keeps its leading zero and nothing a customer typed can become a formula.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// A worksheet holds 1,048,576 rows; one is the header.
pub const MAX_ROWS: i64 = 1_048_575;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
/// Style 0 is plain, style 1 bold (the header row).
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf fontId="0" xfId="0"/><xf fontId="1" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#;
/// The header row stays in view while scrolling.
const SHEET_START: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#;
const SHEET_END: &str = "</sheetData></worksheet>";

/// The bytes the zip writer has produced and the job has not yet stored.
#[derive(Clone, Default)]
struct Pending(Rc<RefCell<Vec<u8>>>);

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct XlsxWriter {
    zip: ZipWriter<StreamWriter<Pending>>,
    pending: Pending,
    xml: String,
}

impl XlsxWriter {
    /// A workbook of one sheet named `sheet`, its first row `header` in bold.
    pub fn start(sheet: &str, header: &[impl AsRef<str>]) -> std::io::Result<XlsxWriter> {
        let pending = Pending::default();
        let mut zip = ZipWriter::new_stream(pending.clone());
        let deflate = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let workbook = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            escaped(&sheet.chars().take(31).collect::<String>())
        );
        let parts = [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", &workbook),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/styles.xml", STYLES),
        ];
        for (name, content) in parts {
            zip.start_file(name, deflate)?;
            zip.write_all(content.as_bytes())?;
        }
        zip.start_file("xl/worksheets/sheet1.xml", deflate)?;
        let mut w = XlsxWriter { zip, pending, xml: SHEET_START.to_owned() };
        w.push(header, true)?;
        Ok(w)
    }

    pub fn row(&mut self, cells: &[impl AsRef<str>]) -> std::io::Result<()> {
        self.push(cells, false)
    }

    fn push(&mut self, cells: &[impl AsRef<str>], bold: bool) -> std::io::Result<()> {
        self.xml.push_str("<row>");
        for c in cells {
            self.xml.push_str(if bold {
                r#"<c t="inlineStr" s="1"><is><t xml:space="preserve">"#
            } else {
                r#"<c t="inlineStr"><is><t xml:space="preserve">"#
            });
            self.xml.push_str(&escaped(c.as_ref()));
            self.xml.push_str("</t></is></c>");
        }
        self.xml.push_str("</row>");
        if self.xml.len() >= 64 * 1024 {
            self.zip.write_all(self.xml.as_bytes())?;
            self.xml.clear();
        }
        Ok(())
    }

    /// What is ready to be stored since the last call (some rows stay in the compressor).
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut *self.pending.0.borrow_mut())
    }

    /// The rest of the file.
    pub fn finish(mut self) -> std::io::Result<Vec<u8>> {
        self.xml.push_str(SHEET_END);
        self.zip.write_all(self.xml.as_bytes())?;
        self.zip.finish()?;
        Ok(self.pending.0.take())
    }
}

/// Text as XML character data: markup escaped, and the control characters XML 1.0 cannot carry
/// dropped (a spreadsheet program refuses the whole file over one).
fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn written(rows: usize) -> Vec<u8> {
        let mut w = XlsxWriter::start("客户 & more", &["姓名", "手机号"]).unwrap();
        let mut file = w.take();
        for i in 0..rows {
            w.row(&[format!("张<{i}>\u{1}"), format!("0{i}")]).unwrap();
            file.extend(w.take());
        }
        file.extend(w.finish().unwrap());
        file
    }

    fn entry(file: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file)).unwrap();
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn a_streamed_workbook_reads_back_as_a_zip_with_every_row_escaped() {
        let file = written(5000);
        let sheet = entry(&file, "xl/worksheets/sheet1.xml");
        assert_eq!(sheet.matches("<row>").count(), 5001, "header and every row");
        assert!(sheet.contains(r#"<c t="inlineStr" s="1"><is><t xml:space="preserve">姓名</t>"#));
        assert!(sheet.contains("张&lt;4999&gt;</t>"), "escaped, control character dropped");
        assert!(sheet.contains(">04999</t>"), "a leading zero stays: cells are text");
        assert!(sheet.ends_with("</sheetData></worksheet>"));
        assert!(entry(&file, "xl/workbook.xml").contains(r#"name="客户 &amp; more""#));
        assert!(entry(&file, "[Content_Types].xml").contains("/xl/worksheets/sheet1.xml"));
    }

    #[test]
    fn bytes_leave_as_rows_arrive_not_all_at_the_end() {
        let mut w = XlsxWriter::start("s", &["a"]).unwrap();
        let mut before_finish = w.take().len();
        for i in 0..20_000 {
            w.row(&[format!("row {i} with some text that does not compress to nothing {}", i * 7919)]).unwrap();
            before_finish += w.take().len();
        }
        let last = w.finish().unwrap().len();
        assert!(before_finish > 4 * last, "streamed: {before_finish} bytes before finish, {last} at it");
    }
}
