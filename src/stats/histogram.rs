//! A fixed log-scale histogram of durations: recording a sample is an index
//! computation and an increment, never an allocation, so the loop can feed
//! it every turn and every frame.

use std::time::Duration;

/// Buckets per doubling of the duration. Four keep a bucket within 25% of
/// its lower bound, so a percentile read from the middle of one is off by
/// at most 12.5%.
const PER_OCTAVE: u32 = 4;
/// Buckets in all: 1 µs wide up to 4 µs, then four per doubling up to about
/// 30 s; anything longer lands in the last one.
const BUCKETS: usize = 96;

/// How many durations fell into each of a fixed set of log-scale buckets,
/// plus the exact longest one.
///
/// ```
/// use std::time::Duration;
/// use oneloop::Histogram;
///
/// let mut frames = Histogram::default();
/// for ms in [2, 2, 3, 2, 40] {
///     frames.record(Duration::from_millis(ms));
/// }
/// assert_eq!(frames.count(), 5);
/// assert_eq!(frames.max(), Duration::from_millis(40));
/// // The median is read from its bucket: within an eighth of 2 ms.
/// let p50 = frames.percentile(0.5);
/// assert!(p50.abs_diff(Duration::from_millis(2)) <= Duration::from_micros(250));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Histogram {
    counts: [u64; BUCKETS],
    total: u64,
    max: Duration,
}

impl Default for Histogram {
    fn default() -> Self {
        Self {
            counts: [0; BUCKETS],
            total: 0,
            max: Duration::ZERO,
        }
    }
}

impl std::fmt::Debug for Histogram {
    // Ninety-six counts, most of them zero, would bury the rest of `Stats`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Histogram")
            .field("count", &self.total)
            .field("p50", &self.percentile(0.5))
            .field("p99", &self.percentile(0.99))
            .field("max", &self.max)
            .finish()
    }
}

impl Histogram {
    /// Count one duration.
    pub fn record(&mut self, took: Duration) {
        self.counts[bucket_of(took)] += 1;
        self.total += 1;
        self.max = self.max.max(took);
    }

    /// Take back a sample recorded earlier, when a later measurement of the
    /// same thing replaces it. The maximum stays: it can only have been
    /// raised by an earlier sample or by this one, which the replacement
    /// will not undercut.
    pub(crate) fn forget(&mut self, took: Duration) {
        let count = &mut self.counts[bucket_of(took)];
        if *count > 0 {
            *count -= 1;
            self.total -= 1;
        }
    }

    /// How many durations were recorded.
    #[must_use]
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The longest duration recorded (zero when none was).
    #[must_use]
    pub fn max(&self) -> Duration {
        self.max
    }

    /// The duration that a fraction `q` (0.0 to 1.0) of the samples did not
    /// exceed, estimated as the middle of its bucket and never more than
    /// [`Histogram::max`]. Zero when nothing was recorded.
    #[must_use]
    pub fn percentile(&self, q: f64) -> Duration {
        if self.total == 0 {
            return Duration::ZERO;
        }
        // The rank of the sample asked for, counted from 1.
        let rank = ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                let (low, high) = bounds(index);
                return ((low + high) / 2).min(self.max);
            }
        }
        self.max
    }

    /// Each non-empty bucket's range (from, up to but not including) and
    /// count, shortest durations first: what a bar chart draws.
    pub fn buckets(&self) -> impl Iterator<Item = (Duration, Duration, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &count)| count > 0)
            .map(|(index, &count)| {
                let (low, high) = bounds(index);
                (low, high, count)
            })
    }
}

/// The bucket a duration falls into.
fn bucket_of(took: Duration) -> usize {
    let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
    if micros < u64::from(PER_OCTAVE) {
        return micros as usize;
    }
    // The highest set bit picks the doubling, the next two bits the quarter.
    let top = 63 - micros.leading_zeros();
    let quarter = (micros >> (top - 2)) & u64::from(PER_OCTAVE - 1);
    let index = (top - 1) * PER_OCTAVE + quarter as u32;
    (index as usize).min(BUCKETS - 1)
}

/// The durations bucket `index` holds, from its lower bound up to (not
/// including) the next bucket's lower bound.
fn bounds(index: usize) -> (Duration, Duration) {
    (lower_bound(index), lower_bound(index + 1))
}

fn lower_bound(index: usize) -> Duration {
    let index = index as u32;
    if index < PER_OCTAVE {
        return Duration::from_micros(u64::from(index));
    }
    let top = index / PER_OCTAVE + 1;
    let quarter = u64::from(index % PER_OCTAVE);
    Duration::from_micros((u64::from(PER_OCTAVE) + quarter) << (top - 2))
}

/// Recordings keep a histogram as its counters (a handler may read them).
impl crate::record::Wire for Histogram {
    fn encode(&self, out: &mut crate::record::Writer) {
        for n in &self.counts {
            out.u64(*n);
        }
        out.u64(self.total);
        out.put(&self.max);
    }

    fn decode(input: &mut crate::record::Reader<'_>) -> Result<Self, crate::record::WireError> {
        let mut h = Self::default();
        for n in &mut h.counts {
            *n = input.u64()?;
        }
        h.total = input.u64()?;
        h.max = input.get()?;
        Ok(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn every_duration_lands_in_the_bucket_whose_bounds_hold_it() {
        for micros in (0..5000).chain([65_536, 1_000_000, 9_999_999]) {
            let took = Duration::from_micros(micros);
            let (low, high) = bounds(bucket_of(took));
            assert!(
                low <= took && took < high,
                "{took:?} not in {low:?}..{high:?}"
            );
        }
        // Buckets tile the line: each starts where the one before ends.
        for index in 1..BUCKETS {
            assert_eq!(bounds(index - 1).1, bounds(index).0);
            assert!(bounds(index).1 > bounds(index).0);
        }
    }

    #[test]
    fn a_bucket_is_at_most_a_quarter_wider_than_its_lower_bound() {
        for index in PER_OCTAVE as usize..BUCKETS {
            let (low, high) = bounds(index);
            assert!((high - low) * 4 <= low, "bucket {index}: {low:?}..{high:?}");
        }
    }

    #[test]
    fn percentiles_follow_the_samples() {
        let mut h = Histogram::default();
        assert_eq!(h.percentile(0.5), Duration::ZERO);
        // 98 quick frames and two slow ones.
        for _ in 0..98 {
            h.record(ms(2));
        }
        h.record(ms(30));
        h.record(ms(100));
        let near = |got: Duration, want: Duration| {
            let (got, want) = (got.as_secs_f64(), want.as_secs_f64());
            (got - want).abs() <= want * 0.125
        };
        assert!(near(h.percentile(0.5), ms(2)), "{:?}", h.percentile(0.5));
        assert!(near(h.percentile(0.98), ms(2)));
        assert!(near(h.percentile(0.99), ms(30)), "{:?}", h.percentile(0.99));
        assert_eq!(h.percentile(1.0), ms(100));
        assert_eq!(h.max(), ms(100));
        assert_eq!(h.count(), 100);
    }

    #[test]
    fn a_percentile_never_exceeds_the_longest_sample() {
        let mut h = Histogram::default();
        h.record(Duration::from_micros(4100));
        assert_eq!(h.percentile(0.99), Duration::from_micros(4100));
    }

    #[test]
    fn very_long_and_zero_durations_are_kept() {
        let mut h = Histogram::default();
        h.record(Duration::ZERO);
        h.record(Duration::from_secs(3600));
        assert_eq!(h.count(), 2);
        // Somewhere under a microsecond: the middle of the first bucket.
        assert_eq!(h.percentile(0.5), Duration::from_nanos(500));
        assert_eq!(h.max(), Duration::from_secs(3600));
        // Only zeros: exactly zero, as the maximum caps the estimate.
        let mut zeros = Histogram::default();
        zeros.record(Duration::ZERO);
        assert_eq!(zeros.percentile(0.99), Duration::ZERO);
        let chart: Vec<u64> = h.buckets().map(|(_, _, n)| n).collect();
        assert_eq!(chart, [1, 1]);
    }

    #[test]
    fn a_forgotten_sample_no_longer_counts() {
        let mut h = Histogram::default();
        h.record(ms(1));
        h.forget(ms(1));
        h.record(ms(5));
        assert_eq!(h.count(), 1);
        assert!(h.percentile(0.5) >= ms(4));
        // Forgetting what was never recorded changes nothing.
        h.forget(ms(700));
        assert_eq!(h.count(), 1);
    }
}
