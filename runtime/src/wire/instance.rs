//! The instance list of a message frame (section 4.9).
//!
//! An instance travels as a `u32` reference: 0 for nil, else a 1-based index
//! into the frame's instance list. The sending [`Writer`](super::Writer)
//! appends each distinct [`InstanceId`] once, at its first reference; the
//! transport carries the list beside the bytes; the receiving runtime turns
//! the ids the receiver cannot see into `None` (see [`visible_to`]) and hands
//! the list to the [`Reader`](super::Reader).

use std::collections::HashMap;

use crate::types::InstanceId;

/// The sender's side of the list: ids in order of first reference.
#[derive(Debug, Clone, Default)]
pub(crate) struct InstanceList {
    ids: Vec<InstanceId>,
    index: HashMap<InstanceId, u32>,
}

impl InstanceList {
    /// The reference of `id`, appending it at its first use.
    pub(crate) fn reference(&mut self, id: InstanceId) -> u32 {
        if let Some(&reference) = self.index.get(&id) {
            return reference;
        }
        self.ids.push(id);
        // More than 2^32 - 1 distinct instances cannot occur in one frame;
        // saturate rather than wrap to 0 (nil) if it ever did.
        let reference = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        self.index.insert(id, reference);
        reference
    }

    pub(crate) fn ids(&self) -> &[InstanceId] {
        &self.ids
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Forgets the ids appended after the first `len`.
    pub(crate) fn truncate(&mut self, len: usize) {
        if len < self.ids.len() {
            for id in self.ids.drain(len..) {
                self.index.remove(&id);
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        self.ids.clear();
        self.index.clear();
    }

    pub(crate) fn take(&mut self) -> Vec<InstanceId> {
        self.index.clear();
        std::mem::take(&mut self.ids)
    }
}

/// The receiver's view of a sender's instance list: each id the receiver can
/// see (`visible(id)`) is kept, every other becomes an absent entry, which
/// decodes as nil.
pub fn visible_to(
    ids: &[InstanceId],
    mut visible: impl FnMut(InstanceId) -> bool,
) -> Vec<Option<InstanceId>> {
    ids.iter()
        .map(|&id| if visible(id) { Some(id) } else { None })
        .collect()
}

/// Resolves a reference against a receiver's list.
pub(crate) fn resolve(
    list: &[Option<InstanceId>],
    reference: u32,
) -> Result<Option<InstanceId>, super::DecodeError> {
    if reference == 0 {
        return Ok(None);
    }
    let entry = usize::try_from(reference - 1)
        .ok()
        .and_then(|i| list.get(i))
        .ok_or(super::DecodeError::BadInstanceReference {
            index: reference,
            count: list.len(),
        })?;
    Ok(*entry)
}
