//! The documents the code leans on stay in step with it.

/// Every requirement id the backend cites (`CUS-7`, `PRV-2`, …) is in docs/requirements.md.
#[test]
fn cited_requirements_exist() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let listed = std::fs::read_to_string(format!("{root}/docs/requirements.md")).unwrap();
    let mut pending = vec![std::path::PathBuf::from(format!("{root}/backend/src"))];
    let mut cited = std::collections::BTreeSet::new();
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for prefix in ["ORG-", "CUS-", "PRV-", "SEG-", "MKT-", "SVC-", "KPI-"] {
                for (i, _) in text.match_indices(prefix) {
                    let digits: String = text[i + prefix.len()..].chars().take_while(char::is_ascii_digit).collect();
                    if !digits.is_empty() {
                        cited.insert(format!("{prefix}{digits}"));
                    }
                }
            }
        }
    }
    assert!(cited.len() >= 15, "{cited:?}");
    for id in cited {
        assert!(listed.contains(&format!("| {id} |")), "{id} is cited in the code but not in docs/requirements.md");
    }
}
