//! The item types the benchmarks move: small and large `Copy` items and a
//! heap-owning one, each made from its index and checked against it on
//! arrival, so that nothing is optimized away and order is verified.

/// An item type under test.
pub trait Item: Send + 'static {
    /// The name in reports.
    const NAME: &'static str;
    /// The item sent at position `index` of a stream.
    fn from_index(index: u64) -> Self;
    /// Whether this is the item sent at position `index`.
    fn matches(&self, index: u64) -> bool;
}

impl Item for u8 {
    const NAME: &'static str = "u8";

    #[inline]
    fn from_index(index: u64) -> Self {
        index as u8
    }

    #[inline]
    fn matches(&self, index: u64) -> bool {
        *self == index as u8
    }
}

impl Item for u64 {
    const NAME: &'static str = "u64";

    #[inline]
    fn from_index(index: u64) -> Self {
        index
    }

    #[inline]
    fn matches(&self, index: u64) -> bool {
        *self == index
    }
}

/// A `Copy` item of `WORDS` eight-byte words: a cache line for 8 words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words<const WORDS: usize>(pub [u64; WORDS]);

impl Item for Words<8> {
    const NAME: &'static str = "64 B";

    #[inline]
    fn from_index(index: u64) -> Self {
        Self([index; 8])
    }

    #[inline]
    fn matches(&self, index: u64) -> bool {
        self.0[0] == index && self.0[7] == index
    }
}

impl Item for Words<32> {
    const NAME: &'static str = "256 B";

    #[inline]
    fn from_index(index: u64) -> Self {
        Self([index; 32])
    }

    #[inline]
    fn matches(&self, index: u64) -> bool {
        self.0[0] == index && self.0[31] == index
    }
}

/// A heap-owning item: each one is allocated by the producer and freed by
/// the consumer, so the allocator is part of what is measured.
impl Item for String {
    const NAME: &'static str = "String";

    #[inline]
    fn from_index(index: u64) -> Self {
        index.to_string()
    }

    #[inline]
    fn matches(&self, index: u64) -> bool {
        self.parse() == Ok(index)
    }
}
