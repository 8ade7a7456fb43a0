package vault

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A keyring entry holds little on some systems: Windows' Credential Manager
// takes 2,560 bytes, and on macOS go-keyring hands the secret, hex-encoded,
// to the security command, whose line ends at 4,096 characters. An auth
// proxy's bearer token, bound to its address and user (see bound), is often
// longer. So an entry longer than keyringPart is kept in parts: the id's own
// entry says how many and holds the first, "<id>/part-2"… hold the rest
// (an id never holds "/"). Every system stores it the same way, so the
// Secret Service in the tests exercises what Windows and macOS run.
const keyringPart = 1024

// partsHeader starts an entry kept in parts: "licensedesk-parts:3\n…".
const partsHeader = "licensedesk-parts:"

func partAccount(id string, n int) string { return id + "/part-" + strconv.Itoa(n) }

// parts reads an entry's header: how many parts, and the first one's text.
func parts(entry string) (n int, first string, ok bool) {
	rest, ok := strings.CutPrefix(entry, partsHeader)
	if !ok {
		return 1, entry, false
	}
	count, first, ok := strings.Cut(rest, "\n")
	n, err := strconv.Atoi(count)
	if !ok || err != nil || n < 2 {
		return 1, entry, false
	}
	return n, first, true
}

// split cuts value into pieces of at most size bytes, never inside a
// character.
func split(value string, size int) []string {
	var out []string
	for len(value) > size {
		cut := size
		for cut > 0 && !utf8.RuneStart(value[cut]) {
			cut--
		}
		out = append(out, value[:cut])
		value = value[cut:]
	}
	return append(out, value)
}

func (k *Keyring) getRaw(id string) (string, bool, error) {
	entry, found, err := k.getOne(id)
	if err != nil || !found {
		return "", found, err
	}
	n, first, ok := parts(entry)
	if !ok {
		return entry, true, nil
	}
	var b strings.Builder
	b.WriteString(first)
	for i := 2; i <= n; i++ {
		p, found, err := k.getOne(partAccount(id, i))
		if err != nil {
			return "", false, err
		}
		if !found {
			return "", false, fmt.Errorf("part %d of %d of the secret of %q is missing from the system keyring; save the secret again", i, n, id)
		}
		b.WriteString(p)
	}
	return b.String(), true, nil
}

// storedParts is how many parts id's entry has now (1 when it is whole or
// absent, or cannot be read).
func (k *Keyring) storedParts(id string) int {
	entry, _, err := k.getOne(id)
	if err != nil {
		return 1
	}
	n, _, _ := parts(entry)
	return n
}

// setRaw writes the later parts first and the id's entry, which names them,
// last; then it removes parts a longer value left behind.
func (k *Keyring) setRaw(id, value string) error {
	had := k.storedParts(id)
	pieces := split(value, keyringPart)
	for i := len(pieces); i >= 2; i-- {
		if err := k.setOne(partAccount(id, i), pieces[i-1]); err != nil {
			return err
		}
	}
	first := pieces[0]
	if len(pieces) > 1 {
		first = partsHeader + strconv.Itoa(len(pieces)) + "\n" + first
	}
	if err := k.setOne(id, first); err != nil {
		return err
	}
	for i := len(pieces) + 1; i <= had; i++ {
		if err := k.deleteOne(partAccount(id, i)); err != nil {
			return err
		}
	}
	return nil
}

// deleteRaw removes the parts before the entry naming them, so a removal
// that fails half-way leaves no part of a secret unnamed in the keyring.
func (k *Keyring) deleteRaw(id string) error {
	for i := k.storedParts(id); i >= 2; i-- {
		if err := k.deleteOne(partAccount(id, i)); err != nil {
			return err
		}
	}
	return k.deleteOne(id)
}
