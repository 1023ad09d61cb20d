//! Customer files as spreadsheet users make and open them: the text encoding Excel writes on
//! Chinese Windows (GB18030/GBK) as well as UTF-8, column headers and coded values in the
//! reader's language — accepted back in either language or as codes.

use std::borrow::Cow;

use crate::error::ApiError;
use crate::i18n::{self, Lang};

/// What starts a UTF-8 file that spreadsheet programs should read as UTF-8 (Excel takes a CSV
/// without it for the system's code page, which garbles Chinese).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file's text: UTF-8 (a byte-order mark dropped) or GB18030, a superset of GBK and GB2312.
/// A Chinese file is never valid UTF-8 by accident, so trying UTF-8 first cannot mistake one for
/// the other; bytes that are neither are refused rather than stored as mojibake.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ApiError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(utf8) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| ApiError::field("file", "encoding").with("byte", utf8.valid_up_to())),
    }
}

/// The column a header names, of `known`: its code or its label in either language.
pub fn column<'a>(header: &str, known: &[&'a str]) -> Option<&'a str> {
    i18n::code_named("label.", header, known)
}

/// A column's header in `lang`.
pub fn header(column: &str, lang: Lang) -> String {
    i18n::words(&format!("label.{column}"), lang).map_or_else(|| column.to_owned(), str::to_owned)
}

/// A coded value as a reader of `lang` reads it (`male` → 男); other values as they are.
pub fn value_words(column: &str, value: &str, lang: Lang) -> String {
    i18n::words(&format!("value.{column}.{value}"), lang).map_or_else(|| value.to_owned(), str::to_owned)
}

/// The code a cell's words stand for in a coded column (男 or male → `male`), or the cell as
/// written (for the column's own parser to accept or refuse).
pub fn value_code(column: &str, cell: &str) -> String {
    i18n::code_for(&format!("value.{column}."), cell).map_or_else(|| cell.to_owned(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_and_gbk_read_the_same() {
        let text = "name,mobile\n张三丰,13800138000\n";
        let (gbk, _, lossy) = encoding_rs::GBK.encode(text);
        assert!(!lossy);
        assert!(std::str::from_utf8(&gbk).is_err(), "GBK bytes are not UTF-8");
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        for bytes in [text.as_bytes(), &bom, &gbk] {
            assert_eq!(decode(bytes).unwrap(), text);
        }
        // A byte no encoding reads is refused with where it is.
        let bad = [b"name\n".as_slice(), &[0x81, 0x20]].concat();
        match decode(&bad) {
            Err(ApiError::Validation(e)) => {
                assert_eq!((e[0].code.as_str(), &e[0].params["byte"]), ("encoding", &5.into()))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn headers_and_values_round_trip_in_both_languages() {
        let known = ["name", "mobile", "gender", "tags"];
        for lang in [Lang::ZhCn, Lang::En] {
            for col in known {
                assert_eq!(column(&header(col, lang), &known), Some(col), "{col} {lang:?}");
            }
            let words = value_words("gender", "female", lang);
            assert_eq!(value_code("gender", &words), "female");
        }
        assert_eq!(header("mobile", Lang::ZhCn), "手机号");
        assert_eq!(column(" Mobile ", &known), Some("mobile"));
        assert_eq!(column("shoe_size", &known), None);
        assert_eq!(value_code("gender", "其他"), "其他");
        assert_eq!(value_code("source_channel", "Third-party list"), "third_party");
    }
}
