//! 秘匿 — which groups' person-attribute breakdowns are withheld (SPEC §6).
//!
//! A breakdown over fewer than `min_group_size` people is suppressed as a whole. When a total is
//! shown beside a partition of it (a cohort and its prefectures), suppressing only the small
//! groups is not enough: the total minus the shown groups would give back the suppressed ones.
//! So the suppressed groups together must also reach `min_group_size`; if they do not, the
//! smallest shown groups are suppressed too (secondary suppression).

use std::collections::BTreeSet;

/// A count that may be withheld.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tally {
    Count(u32),
    /// Withheld because the group is too small (or could be derived from others).
    Suppressed,
}

impl Tally {
    pub fn count(self) -> Option<u32> {
        match self {
            Tally::Count(n) => Some(n),
            Tally::Suppressed => None,
        }
    }
}

/// Whether a breakdown over `size` people may be shown on its own.
pub fn too_small(size: u32, min_group_size: u32) -> bool {
    size > 0 && size < min_group_size
}

/// The indices of `sizes` (groups partitioning a shown total) whose breakdowns must be withheld.
pub fn suppressed_groups(sizes: &[u32], min_group_size: u32) -> BTreeSet<usize> {
    let mut suppressed: BTreeSet<usize> = (0..sizes.len())
        .filter(|i| too_small(sizes[*i], min_group_size))
        .collect();
    let mut withheld: u32 = suppressed.iter().map(|i| sizes[*i]).sum();
    let mut shown: Vec<usize> = (0..sizes.len())
        .filter(|i| !suppressed.contains(i) && sizes[*i] > 0)
        .collect();
    shown.sort_by_key(|i| (sizes[*i], *i));
    let mut next = shown.into_iter();
    while withheld > 0 && withheld < min_group_size {
        match next.next() {
            Some(i) => {
                suppressed.insert(i);
                withheld += sizes[i];
            }
            None => break,
        }
    }
    suppressed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_is_ten_people_not_nine() {
        assert!(too_small(9, 10));
        assert!(!too_small(10, 10));
        assert!(!too_small(0, 10), "an empty group has nothing to hide");
    }

    #[test]
    fn small_groups_are_suppressed() {
        assert_eq!(suppressed_groups(&[30, 12, 15], 10), BTreeSet::new());
        assert_eq!(
            suppressed_groups(&[30, 6, 5, 15], 10),
            BTreeSet::from([1, 2]),
            "6 + 5 = 11 withheld together"
        );
    }

    #[test]
    fn a_single_small_group_takes_the_smallest_shown_one_with_it() {
        // Total 50 shown: 50 − 30 − 15 would give back the 5.
        assert_eq!(suppressed_groups(&[30, 5, 15], 10), BTreeSet::from([1, 2]));
        // Two small groups summing to 8 still need one more.
        assert_eq!(suppressed_groups(&[3, 5, 40, 11], 10), BTreeSet::from([0, 1, 3]));
    }

    #[test]
    fn empty_groups_are_left_alone() {
        assert_eq!(suppressed_groups(&[0, 20, 0], 10), BTreeSet::new());
        assert_eq!(suppressed_groups(&[4, 3], 10), BTreeSet::from([0, 1]));
    }
}
