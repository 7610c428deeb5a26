//! Snapshot key names from Rust identifiers (`rename_all`).

/// A `rename_all` convention.
#[derive(Clone, Copy)]
pub enum Case {
    Camel,
    Snake,
    Lower,
    Upper,
    Pascal,
    ScreamingSnake,
    Kebab,
}

impl Case {
    pub fn parse(s: &str) -> Option<Case> {
        Some(match s {
            "camelCase" => Case::Camel,
            "snake_case" => Case::Snake,
            "lowercase" => Case::Lower,
            "UPPERCASE" => Case::Upper,
            "PascalCase" => Case::Pascal,
            "SCREAMING_SNAKE_CASE" => Case::ScreamingSnake,
            "kebab-case" => Case::Kebab,
            _ => return None,
        })
    }

    /// Applies the convention to a snake_case field name or a PascalCase
    /// variant name.
    pub fn apply(self, name: &str) -> String {
        let words = words(name);
        match self {
            Case::Camel => {
                let mut out = String::new();
                for (i, w) in words.iter().enumerate() {
                    if i == 0 {
                        out.push_str(&w.to_lowercase());
                    } else {
                        out.push_str(&capitalise(w));
                    }
                }
                out
            }
            Case::Pascal => words.iter().map(|w| capitalise(w)).collect(),
            Case::Snake => join(&words, "_").to_lowercase(),
            Case::ScreamingSnake => join(&words, "_").to_uppercase(),
            Case::Kebab => join(&words, "-").to_lowercase(),
            Case::Lower => words.concat().to_lowercase(),
            Case::Upper => words.concat().to_uppercase(),
        }
    }
}

fn join(words: &[String], sep: &str) -> String {
    words.join(sep)
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(first) => first
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Splits `snake_case` or `PascalCase` into words.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut cur = String::new();
        for ch in part.chars() {
            if ch.is_uppercase() && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(ch);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Case;

    #[test]
    fn conventions() {
        assert_eq!(Case::Camel.apply("first_name"), "firstName");
        assert_eq!(Case::Camel.apply("created_at"), "createdAt");
        assert_eq!(Case::Camel.apply("name"), "name");
        assert_eq!(Case::Lower.apply("Medium"), "medium");
        assert_eq!(Case::Snake.apply("BananaBunch"), "banana_bunch");
        assert_eq!(Case::Kebab.apply("line_items"), "line-items");
        assert_eq!(Case::Pascal.apply("line_items"), "LineItems");
        assert_eq!(Case::ScreamingSnake.apply("seedCount"), "SEED_COUNT");
    }
}
