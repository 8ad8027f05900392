//! The allocator of every program of the project: mimalloc, asked for alignment only when a
//! request needs more than mimalloc gives every block anyway.
//!
//! Evaluation and batch screening make many small, short-lived allocations, which cost glibc's
//! malloc several times as much (BENCHMARKS.md, session 8). The `mimalloc` crate's own global
//! allocator calls `mi_malloc_aligned` for every request; in mimalloc v3 that path, when the
//! size class's free list is empty, over-allocates and aligns inside the block even for an
//! alignment of 8, which a one-line evaluation paid for in 6 of its 29 allocations
//! (BENCHMARKS.md, sessions 14 and 15). This is the rule the standard library's `System`
//! allocator follows for glibc, with mimalloc's guarantee in place of glibc's.
//!
//! Each binary declares it (`#[global_allocator]`), not this library, so that the memory
//! benchmark can wrap it in its counting allocator.

// The one place the crate implements an `unsafe` trait: `GlobalAlloc` has no safe form.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys::{
    mi_free, mi_malloc, mi_malloc_aligned, mi_realloc, mi_realloc_aligned, mi_zalloc,
    mi_zalloc_aligned,
};

/// mimalloc's `MI_MAX_ALIGN_SIZE`: a block of 16 bytes or more starts on a 16-byte boundary
/// (its size classes are multiples of two words, and its pages start so aligned); a smaller
/// block is aligned to its size class, which is at least the requested size rounded up to 8.
const ALIGNMENT_OF_EVERY_BLOCK: usize = 16;

/// True when a plain `mi_malloc` of `size` bytes is already aligned to `align`: as for glibc in
/// the standard library, an alignment up to the guarantee that is no larger than the size.
fn plain_block_suffices(align: usize, size: usize) -> bool {
    align <= ALIGNMENT_OF_EVERY_BLOCK && align <= size
}

/// The global allocator: see the module's documentation.
pub struct Allocator;

// SAFETY (for every method): mimalloc returns null or a block of at least the requested size
// aligned as asked (the aligned calls by contract, the plain ones by `plain_block_suffices`);
// `mi_free` and the `mi_realloc` calls accept any block mimalloc returned, aligned or not.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let block = if plain_block_suffices(layout.align(), layout.size()) {
            unsafe { mi_malloc(layout.size()) }
        } else {
            unsafe { mi_malloc_aligned(layout.size(), layout.align()) }
        };
        block.cast()
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let block = if plain_block_suffices(layout.align(), layout.size()) {
            unsafe { mi_zalloc(layout.size()) }
        } else {
            unsafe { mi_zalloc_aligned(layout.size(), layout.align()) }
        };
        block.cast()
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let block = if plain_block_suffices(layout.align(), new_size) {
            unsafe { mi_realloc(ptr.cast::<c_void>(), new_size) }
        } else {
            unsafe { mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()) }
        };
        block.cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALIGNMENTS: [usize; 8] = [1, 2, 4, 8, 16, 32, 64, 4096];
    const SIZES: [usize; 16] = [
        1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 33, 48, 100, 1000, 70_000,
    ];

    fn is_aligned(block: *mut u8, align: usize) -> bool {
        (block as usize).is_multiple_of(align)
    }

    /// Every block is aligned as its layout asks and holds its bytes, whichever path it took;
    /// the small sizes matter most: a mimalloc block under 16 bytes is only 8-byte aligned.
    #[test]
    fn every_block_is_aligned_as_asked_and_holds_its_bytes() {
        for align in ALIGNMENTS {
            for size in SIZES {
                let layout = Layout::from_size_align(size, align).expect("a valid layout");
                // Many at once, so that blocks come from within pages, not only their starts.
                let blocks: Vec<*mut u8> = (0..64)
                    .map(|_| unsafe { Allocator.alloc(layout) })
                    .collect();
                for (index, &block) in blocks.iter().enumerate() {
                    assert!(!block.is_null(), "size {size}, align {align}");
                    assert!(
                        is_aligned(block, align),
                        "size {size}, align {align}: {block:p}"
                    );
                    unsafe { block.write_bytes(index as u8, size) };
                }
                for (index, &block) in blocks.iter().enumerate() {
                    let bytes = unsafe { std::slice::from_raw_parts(block, size) };
                    assert!(bytes.iter().all(|&byte| byte == index as u8));
                    unsafe { Allocator.dealloc(block, layout) };
                }
            }
        }
    }

    #[test]
    fn zeroed_blocks_are_zero_and_aligned() {
        for align in ALIGNMENTS {
            for size in SIZES {
                let layout = Layout::from_size_align(size, align).expect("a valid layout");
                let block = unsafe { Allocator.alloc_zeroed(layout) };
                assert!(!block.is_null() && is_aligned(block, align));
                let bytes = unsafe { std::slice::from_raw_parts(block, size) };
                assert!(
                    bytes.iter().all(|&byte| byte == 0),
                    "size {size}, align {align}"
                );
                unsafe { Allocator.dealloc(block, layout) };
            }
        }
    }

    /// Growing and shrinking keeps the bytes that fit and the alignment, across the boundary
    /// where the plain path stops sufficing (an alignment of 16 at sizes under 16).
    #[test]
    fn reallocation_keeps_the_contents_and_the_alignment() {
        for align in ALIGNMENTS {
            for (from, to) in [
                (1, 100),
                (100, 3),
                (16, 8),
                (8, 16),
                (24, 70_000),
                (70_000, 9),
            ] {
                let layout = Layout::from_size_align(from, align).expect("a valid layout");
                let block = unsafe { Allocator.alloc(layout) };
                assert!(!block.is_null());
                for offset in 0..from {
                    unsafe { block.add(offset).write(offset as u8) };
                }
                let moved = unsafe { Allocator.realloc(block, layout, to) };
                assert!(
                    !moved.is_null() && is_aligned(moved, align),
                    "{from}→{to}, align {align}"
                );
                let kept = unsafe { std::slice::from_raw_parts(moved, from.min(to)) };
                assert!(
                    kept.iter()
                        .enumerate()
                        .all(|(offset, &byte)| byte == offset as u8)
                );
                let new_layout = Layout::from_size_align(to, align).expect("a valid layout");
                unsafe { Allocator.dealloc(moved, new_layout) };
            }
        }
    }

    #[test]
    fn the_plain_path_is_taken_only_where_mimalloc_guarantees_the_alignment() {
        assert!(plain_block_suffices(8, 8));
        assert!(plain_block_suffices(16, 16));
        assert!(plain_block_suffices(1, 1));
        // A 9-byte request sits in a 16-byte class: 16-aligned, but only 8 is asked of it.
        assert!(plain_block_suffices(8, 9));
        assert!(
            !plain_block_suffices(16, 8),
            "an 8-byte block is only 8-byte aligned"
        );
        assert!(!plain_block_suffices(32, 64), "beyond the guarantee");
    }
}
