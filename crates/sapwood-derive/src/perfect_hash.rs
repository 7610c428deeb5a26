//! The perfect hash of a union's tags, found at compile time.

/// FNV-1a from a seed: must stay identical to `sapwood_tree`'s `tag_hash`.
pub fn tag_hash(bytes: &[u8], seed: u32) -> u32 {
    let mut h = 0x811c_9dc5u32 ^ seed;
    for &b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h ^ (h >> 15)
}

/// A seed and a power-of-two table size under which the tags' hashes are all
/// distinct, and the table: variant index + 1 per bucket (0 = empty).
pub fn find(tags: &[String]) -> (u32, Vec<u16>) {
    let mut size = tags.len().next_power_of_two().max(1);
    loop {
        for seed in 0..20_000u32 {
            let mut table = vec![0u16; size];
            let ok = tags.iter().enumerate().all(|(i, t)| {
                let b = tag_hash(t.as_bytes(), seed) as usize & (size - 1);
                if table[b] != 0 {
                    return false;
                }
                table[b] = i as u16 + 1;
                true
            });
            if ok {
                return (seed, table);
            }
        }
        size *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same values as `sapwood_tree::union`'s test.
    #[test]
    fn tag_hash_matches_the_runtime() {
        assert_eq!(tag_hash(b"", 0), 0x811c_9dc5 ^ (0x811c_9dc5 >> 15));
        assert_eq!(tag_hash(b"Apple", 0), 0xb677_9c5f ^ (0xb677_9c5f >> 15));
    }

    #[test]
    fn finds_a_perfect_hash() {
        let tags: Vec<String> = [
            "Apple",
            "Banana",
            "BananaBunch",
            "Pear",
            "Kiwi",
            "Orange",
            "Passionfruit",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (seed, table) = find(&tags);
        for (i, t) in tags.iter().enumerate() {
            let b = tag_hash(t.as_bytes(), seed) as usize & (table.len() - 1);
            assert_eq!(table[b], i as u16 + 1);
        }
    }
}
