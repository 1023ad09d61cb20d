//! The words users read from the server, in their language. Records and errors carry a stable
//! code and its parameters; the words are chosen here, when a response is written, from the
//! request's `Accept-Language` (zh-CN unless the caller prefers English). A leaf: it imports
//! nothing of the crate, so the error type and the HTTP layer can both use it.

mod catalogue;

use std::collections::BTreeMap;
use std::future::Future;

use serde::{Deserialize, Serialize};

/// The parameters of a code (`{"days": 30}`), named in its templates as `{days}`.
pub type Params = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// Chinese first: what a caller gets unless it asks for English.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }
}

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being served (zh-CN outside a request).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

pub async fn with_lang<F: Future>(lang: Lang, f: F) -> F::Output {
    LANG.scope(lang, f).await
}

pub fn sync_with_lang<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    LANG.sync_scope(lang, f)
}

/// The language an `Accept-Language` header prefers among ours: the highest-weighted range that
/// names Chinese or English (`*` and unknown languages skipped), zh-CN when none does.
pub fn negotiate(header: Option<&str>) -> Lang {
    let Some(header) = header else { return Lang::default() };
    let mut best: Option<(f32, Lang)> = None;
    for range in header.split(',') {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q =
            parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok())).unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("zh") => Lang::ZhCn,
            Some("en") => Lang::En,
            _ => continue,
        };
        // The first of equal weights wins, as the header lists them in order of preference.
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

/// The words for `key` with its parameters filled in, or `None` when the catalogue lacks it. A
/// parameter that is itself a code with words (`value.channel.sms`) is put in as those words.
pub fn text(key: &str, params: &Params, lang: Lang) -> Option<String> {
    let (zh, en) = catalogue::lookup(key)?;
    let mut shown = params.clone();
    for (name, value) in shown.iter_mut() {
        if let Some(words) = value.as_str().and_then(|v| catalogue::lookup(&format!("value.{name}.{v}"))) {
            *value = serde_json::Value::String(if lang == Lang::En { words.1 } else { words.0 }.to_owned());
        }
    }
    Some(fill(if lang == Lang::En { en } else { zh }, &shown))
}

/// What a record keeps instead of a sentence: a code and its parameters, stored as JSON in a
/// text column and put into words when read (`record.<code>` in the catalogue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coded {
    pub code: String,
    #[serde(default, skip_serializing_if = "Params::is_empty")]
    pub params: Params,
}

impl Coded {
    pub fn new(code: &str) -> Coded {
        Coded { code: code.to_owned(), params: Params::new() }
    }

    pub fn with(mut self, name: &str, value: impl Into<serde_json::Value>) -> Coded {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// The form kept in the record.
    pub fn stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored column read back: a code is put into words in `lang`; text a person wrote (or
    /// that was stored before codes were) is shown as it is.
    pub fn read(stored: &str) -> Option<Coded> {
        serde_json::from_str::<Coded>(stored).ok().filter(|c| knows(&format!("record.{}", c.code)))
    }

    pub fn words(stored: &str, lang: Lang) -> String {
        let Some(c) = Coded::read(stored) else { return stored.to_owned() };
        let Some(outcome) = text(&format!("record.{}", c.code), &c.params, lang) else { return stored.to_owned() };
        // A note the person added is kept in their words, after the outcome's.
        match c.params.get("note").and_then(|n| n.as_str()).filter(|n| !n.is_empty()) {
            Some(note) => {
                let both = Params::from([("outcome".to_owned(), outcome.into()), ("note".to_owned(), note.into())]);
                text("record.with_note", &both, lang).unwrap_or_default()
            }
            None => outcome,
        }
    }
}

/// The words of `key` in `lang`, as the catalogue has them.
pub fn words(key: &str, lang: Lang) -> Option<&'static str> {
    catalogue::lookup(key).map(|(zh, en)| if lang == Lang::En { en } else { zh })
}

/// Which of `codes` the words name under `prefix` (in either language, case and surrounding
/// space ignored): `code_named("label.", "手机号", ["name", "mobile"])` is `mobile`. A code
/// names itself.
pub fn code_named<'a>(prefix: &str, words: &str, codes: &[&'a str]) -> Option<&'a str> {
    let words = words.trim();
    codes.iter().copied().find(|code| {
        *code == words
            || catalogue::lookup(&format!("{prefix}{code}"))
                .is_some_and(|(zh, en)| zh == words || en.eq_ignore_ascii_case(words))
    })
}

/// The code under `prefix` whose words (either language, case and surrounding space ignored)
/// are `words`: `code_for("value.gender.", "女")` is `female`.
pub fn code_for(prefix: &str, words: &str) -> Option<&'static str> {
    let words = words.trim();
    catalogue::ENTRIES.iter().find_map(|(key, zh, en)| {
        let code = key.strip_prefix(prefix)?;
        (*zh == words || en.eq_ignore_ascii_case(words)).then_some(code)
    })
}

/// A field error's message: the entry for this field and code, else for the code (the length
/// and range rules by which bounds they have), else the generic one. `{field}` reads as the
/// field's label; indices in a path do not matter (`contacts[2].kind` reads `contacts.kind`).
pub fn field_message(field: &str, code: &str, params: &Params, lang: Lang) -> String {
    let bare = strip_indices(field);
    let mut with_field = params.clone();
    let label = text(&format!("label.{bare}"), &Params::new(), lang).unwrap_or_else(|| bare.clone());
    with_field.entry("field".to_owned()).or_insert(serde_json::Value::String(label));
    let bounded = match code {
        "length" | "range" => {
            let has = |k: &str| params.contains_key(k);
            let variant = match (has("min"), has("max"), has("equal")) {
                (_, _, true) => "equal",
                (true, true, _) => "between",
                (false, true, _) => "max",
                _ => "min",
            };
            Some(format!("field.{code}.{variant}"))
        }
        _ => None,
    };
    text(&format!("field.{bare}.{code}"), &with_field, lang)
        .or_else(|| bounded.and_then(|key| text(&key, &with_field, lang)))
        .or_else(|| text(&format!("field.{code}"), &with_field, lang))
        .unwrap_or_else(|| fill(catalogue::GENERIC_FIELD.pick(lang), &with_field))
}

/// Whether the catalogue has words of its own for this field error (tests hold every code the
/// server sends to it).
pub fn knows_field(field: &str, code: &str) -> bool {
    let bare = strip_indices(field);
    matches!(code, "length" | "range")
        || catalogue::lookup(&format!("field.{bare}.{code}")).is_some()
        || catalogue::lookup(&format!("field.{code}")).is_some()
}

pub fn knows(key: &str) -> bool {
    catalogue::lookup(key).is_some()
}

fn strip_indices(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut depth = 0;
    for c in field.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn fill(template: &str, params: &Params) -> String {
    let mut out = template.to_owned();
    for (name, value) in params {
        let shown = match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out = out.replace(&format!("{{{name}}}"), &shown);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_weights_and_defaults_to_chinese() {
        let cases = [
            (None, Lang::ZhCn),
            (Some(""), Lang::ZhCn),
            (Some("en"), Lang::En),
            (Some("en-US,en;q=0.9"), Lang::En),
            (Some("zh-CN,zh;q=0.9,en;q=0.8"), Lang::ZhCn),
            (Some("fr-FR, en;q=0.5, zh;q=0.4"), Lang::En),
            (Some("de, *;q=0.1"), Lang::ZhCn),
            (Some("en;q=0, zh-TW"), Lang::ZhCn),
            (Some("EN-gb"), Lang::En),
            (Some("en;q=0.3, zh-Hans;q=0.8"), Lang::ZhCn),
        ];
        for (header, want) in cases {
            assert_eq!(negotiate(header), want, "{header:?}");
        }
    }

    #[test]
    fn records_keep_codes_and_read_in_either_language() {
        let stored = Coded::new("notifications_recorded")
            .with("channel", "sms")
            .with("recorded", 3)
            .with("no_contact", 1)
            .stored();
        assert!(!stored.contains("notifications recorded"), "{stored}");
        assert_eq!(Coded::words(&stored, Lang::En), "SMS: 3 notifications recorded, 1 without an address");
        assert_eq!(Coded::words(&stored, Lang::ZhCn), "短信：已记录 3 条通知，1 人无联系方式");
        // A person's own words, even if they look like a code, are shown as written.
        assert_eq!(Coded::words("copy provided", Lang::ZhCn), "copy provided");
        assert_eq!(Coded::words(r#"{"code":"nonsense"}"#, Lang::ZhCn), r#"{"code":"nonsense"}"#);
    }

    #[test]
    fn parameters_fill_both_languages() {
        let params = Params::from([("days".to_owned(), serde_json::json!(30))]);
        assert_eq!(text("conflict.merge_undo_expired", &params, Lang::En).unwrap(), "merges can be undone for 30 days");
        assert!(text("conflict.merge_undo_expired", &params, Lang::ZhCn).unwrap().contains("30"));
    }

    #[test]
    fn field_messages_fall_back_from_field_to_code_to_generic() {
        let none = Params::new();
        let specific = field_message("national_id", "checksum", &none, Lang::ZhCn);
        assert!(specific.contains("校验"), "{specific}");
        let by_code = field_message("contacts[3].value", "required", &none, Lang::En);
        assert!(by_code.contains("contacts.value"), "{by_code}");
        let labelled = field_message("name", "length", &Params::from([("max".to_owned(), 100.into())]), Lang::ZhCn);
        assert_eq!(labelled, "姓名最多 100 个字符");
        let generic = field_message("x", "no_such_code", &none, Lang::En);
        assert!(generic.contains('x'), "{generic}");
    }

    /// Every code the server's source sends has words in the catalogue: a new refusal without
    /// them fails here instead of reaching a Chinese user as a bare code.
    #[test]
    fn every_code_in_the_source_has_words() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![root];
        let mut sources = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
        let field = regex::Regex::new(r#"(?:ApiError::field|FieldError::new)\(\s*"([^"]+)",\s*"([^"]+)""#).unwrap();
        let any_field =
            regex::Regex::new(r#"(?:FieldError::new\([a-z_]+|ValidationError::new)\(?,?\s*"([a-z_]+)""#).unwrap();
        let reason = regex::Regex::new(r#"ApiError::(conflict|bad_request|Unauthorized)\("([a-z_]+)""#).unwrap();
        let mut seen = 0;
        for (path, text) in &sources {
            if path.contains("i18n") {
                continue;
            }
            for c in field.captures_iter(text) {
                seen += 1;
                assert!(knows_field(&c[1], &c[2]), "{path}: field {} code {}", &c[1], &c[2]);
            }
            for c in any_field.captures_iter(text) {
                seen += 1;
                let code = &c[1];
                let known = catalogue::ENTRIES
                    .iter()
                    .any(|(k, _, _)| k.starts_with("field.") && k.ends_with(&format!(".{code}")));
                assert!(known, "{path}: code {code}");
            }
            for c in reason.captures_iter(text) {
                seen += 1;
                let prefix = c[1].to_ascii_lowercase();
                assert!(knows(&format!("{prefix}.{}", &c[2])), "{path}: {prefix}.{}", &c[2]);
            }
        }
        assert!(seen > 80, "the patterns still find the codes ({seen})");
    }
}
