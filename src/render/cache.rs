//! A bounded map that keeps what was used recently.
//!
//! Glyph masks and text layouts are looked up every frame. A full LRU list
//! costs bookkeeping on every hit; this cache keeps two generations instead:
//! when the current map is full it becomes the previous one, and anything
//! still in use is promoted back on its next lookup. Memory stays bounded
//! (at most twice the capacity) with no per-frame hook the caller could forget.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A fast multiply-rotate hasher for small keys looked up many times a
/// frame. The default SipHash resists collision attacks, which matters for
/// keys an attacker chooses; glyph ids and precomputed layout hashes are not
/// such keys, and SipHash showed up in frame profiles.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Two-generation cache; see the module docs.
#[derive(Debug)]
pub(crate) struct RecentCache<K, V> {
    current: FastMap<K, V>,
    previous: FastMap<K, V>,
    capacity: usize,
}

impl<K: Hash + Eq, V> RecentCache<K, V> {
    /// A cache that holds about `capacity` hot entries (at most twice that).
    pub(crate) fn new(capacity: usize) -> Self {
        RecentCache {
            current: FastMap::default(),
            previous: FastMap::default(),
            capacity: capacity.max(1),
        }
    }

    /// The value for `key`, promoting it to the current generation.
    pub(crate) fn get(&mut self, key: &K) -> Option<&V>
    where
        K: Clone,
    {
        if !self.current.contains_key(key) {
            let value = self.previous.remove(key)?;
            self.insert(key.clone(), value);
        }
        self.current.get(key)
    }

    /// The value for `key`, made by `make` when absent; the flag tells
    /// whether it was already cached.
    pub(crate) fn get_or_insert_with(&mut self, key: K, make: impl FnOnce() -> V) -> (&V, bool)
    where
        K: Clone,
    {
        let cached = self.current.contains_key(&key) || {
            let promoted = self.previous.remove(&key);
            self.retire_if_full();
            promoted
                .map(|value| self.current.insert(key.clone(), value))
                .is_some()
        };
        (self.current.entry(key).or_insert_with(make), cached)
    }

    fn retire_if_full(&mut self) {
        if self.current.len() >= self.capacity {
            self.previous = std::mem::take(&mut self.current);
        }
    }

    /// Stores `value`, retiring the older generation when the current one is full.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        self.retire_if_full();
        self.current.insert(key, value);
    }

    /// Number of stored entries in both generations.
    pub(crate) fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }

    /// Forgets everything, e.g. after the set of fonts changed.
    pub(crate) fn clear(&mut self) {
        self.current.clear();
        self.previous.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::RecentCache;

    #[test]
    fn stays_bounded_and_keeps_entries_in_use() {
        let mut cache = RecentCache::new(4);
        for i in 0..100 {
            cache.insert(i, i * 10);
            // Key 0 is used on every round, like a glyph on every frame.
            assert_eq!(cache.get(&0), Some(&0));
        }
        assert!(cache.len() <= 8, "cache grew to {}", cache.len());
        assert_eq!(cache.get(&99), Some(&990));
        assert_eq!(cache.get(&1), None, "a long-unused entry was retired");
    }

    #[test]
    fn get_or_insert_makes_a_value_only_when_missing() {
        let mut cache = RecentCache::new(2);
        assert_eq!(cache.get_or_insert_with(1, || 10), (&10, false));
        assert_eq!(cache.get_or_insert_with(1, || 99), (&10, true));
        cache.insert(2, 20);
        cache.insert(3, 30); // retires 1 and 2 to the previous generation
        assert_eq!(
            cache.get_or_insert_with(1, || 99),
            (&10, true),
            "promoted back"
        );
    }
}
