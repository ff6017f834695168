//! "Did you mean" suggestions for misspelt names.

/// The candidate closest to `name`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let length = name.chars().count();
    candidates
        .into_iter()
        .filter(|c| *c != name)
        // Names of very different lengths are never close; skipping them
        // keeps a hostile 10,000-character name cheap.
        .filter(|c| c.chars().count().abs_diff(length) <= max_edits(name).max(length / 4))
        .map(|c| {
            let exact_but_case = c.eq_ignore_ascii_case(name);
            let score = if exact_but_case {
                1.0
            } else {
                strsim::jaro_winkler(&lower, &c.to_ascii_lowercase())
            };
            (score, c)
        })
        .filter(|(score, c)| {
            *score >= 0.85
                || strsim::levenshtein(&lower, &c.to_ascii_lowercase()) <= max_edits(name)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A help line: "did you mean `suggestion`?" when there is one, else `otherwise`.
pub fn help_line(suggestion: Option<String>, otherwise: impl Into<String>) -> String {
    match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise.into(),
    }
}

fn max_edits(name: &str) -> usize {
    match name.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, help_line};

    #[test]
    fn help_line_suggests_or_falls_back() {
        assert_eq!(
            help_line(Some("Part".into()), "other"),
            "did you mean `Part`?"
        );
        assert_eq!(help_line(None, "other"), "other");
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["Vector3", "Vector2", "CFrame", "string"];
        assert_eq!(did_you_mean("Vectr3", names), Some("Vector3"));
        assert_eq!(did_you_mean("strng", names), Some("string"));
        assert_eq!(did_you_mean("cframe", names), Some("CFrame"));
        assert_eq!(did_you_mean("Elephant", names), None);
    }
}
