package main

import "sync"

// User is a user as the API shows it.
type User struct {
	ID    uint64 `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// userStore keeps the users in creation order. Ids are sequential from 1, so the user with
// id n is users[n-1].
type userStore struct {
	mu    sync.RWMutex
	users []User
}

// create adds a user with the next id and returns it.
func (s *userStore) create(name, email string) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := User{ID: uint64(len(s.users)) + 1, Name: name, Email: email}
	s.users = append(s.users, u)
	return u
}

// get returns the user with id.
func (s *userStore) get(id uint64) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if id == 0 || id > uint64(len(s.users)) {
		return User{}, false
	}
	return s.users[id-1], true
}

// page returns a copy of the users with ids offset+1 ... offset+limit that exist, in id
// order; never nil, so that no users encode as [].
func (s *userStore) page(offset, limit uint64) []User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	n := uint64(len(s.users))
	if offset >= n {
		return []User{}
	}
	page := make([]User, min(limit, n-offset))
	copy(page, s.users[offset:])
	return page
}

// count returns the number of users.
func (s *userStore) count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.users)
}
