//! The user store: users get sequential ids from 1 and are never removed, so a `Vec`
//! indexed by `id - 1` is the whole index. Behind a std `RwLock`, as the Go side keeps a
//! slice behind a `sync.RWMutex`.

use std::sync::{PoisonError, RwLock};

use serde::Serialize;

/// A user as the API shows it; field order is the JSON key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Sequential from 1.
    pub id: u64,
    /// Non-empty.
    pub name: String,
    /// Contains `@`.
    pub email: String,
}

/// All users, in id order.
#[derive(Debug, Default)]
pub struct Users {
    // Lock poisoning is recovered from (`PoisonError::into_inner`) throughout: no code path
    // panics while holding the lock, and a push is the only mutation, so the vector is
    // always consistent.
    by_id: RwLock<Vec<User>>,
}

impl Users {
    /// Stores a new user under the next id and returns it.
    pub fn create(&self, name: String, email: String) -> User {
        let mut by_id = self.by_id.write().unwrap_or_else(PoisonError::into_inner);
        let user = User {
            id: by_id.len() as u64 + 1,
            name,
            email,
        };
        by_id.push(user.clone());
        user
    }

    /// The user with this id, if it was ever created.
    pub fn get(&self, id: u64) -> Option<User> {
        let index = usize::try_from(id.checked_sub(1)?).ok()?;
        let by_id = self.by_id.read().unwrap_or_else(PoisonError::into_inner);
        by_id.get(index).cloned()
    }

    /// Calls `f` with the users whose ids are `offset+1 ..= offset+limit` (those that exist),
    /// under the read lock, so that a page is serialized without copying it.
    pub fn with_page<R>(&self, offset: u64, limit: u64, f: impl FnOnce(&[User]) -> R) -> R {
        let by_id = self.by_id.read().unwrap_or_else(PoisonError::into_inner);
        let clamp =
            |position: u64| usize::try_from(position).map_or(by_id.len(), |p| p.min(by_id.len()));
        let start = clamp(offset);
        let end = clamp(offset.saturating_add(limit));
        f(&by_id[start..end])
    }

    /// How many users exist.
    pub fn len(&self) -> usize {
        self.by_id
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Whether no user exists yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(users: &Users, offset: u64, limit: u64) -> Vec<u64> {
        users.with_page(offset, limit, |page| page.iter().map(|u| u.id).collect())
    }

    #[test]
    fn ids_are_sequential_from_one() {
        let users = Users::default();
        assert!(users.is_empty());
        assert_eq!(users.create("Ada".into(), "a@x".into()).id, 1);
        assert_eq!(users.create("Bob".into(), "b@x".into()).id, 2);
        assert_eq!(users.get(2).map(|u| u.name), Some("Bob".to_owned()));
        assert_eq!(users.get(0), None);
        assert_eq!(users.get(3), None);
        assert_eq!(users.get(u64::MAX), None);
        assert_eq!(users.len(), 2);
    }

    #[test]
    fn pages_hold_the_ids_that_exist() {
        let users = Users::default();
        for n in 0..5 {
            users.create(format!("u{n}"), "u@x".into());
        }
        assert_eq!(ids(&users, 0, 100), [1, 2, 3, 4, 5]);
        assert_eq!(ids(&users, 1, 2), [2, 3]);
        assert_eq!(ids(&users, 4, 10), [5]);
        assert_eq!(ids(&users, 5, 10), [] as [u64; 0]);
        assert_eq!(ids(&users, 0, 0), [] as [u64; 0]);
        assert_eq!(ids(&users, u64::MAX, 1000), [] as [u64; 0]);
    }
}
