// Package protect keeps personal data unreadable without the office key.
//
// Key hierarchy:
//
//   - The data key (32 random bytes) encrypts personal fields with
//     XChaCha20-Poly1305, each value under a fresh random nonce and bound
//     to its table, column and row (associated data), so a ciphertext
//     cannot be moved to another row unnoticed.
//   - A blind-index key, derived from the data key with HKDF, turns
//     normalised identifiers (phone, ID number, QID, folded name) into
//     HMAC-SHA256 tags: exact lookups stay fast through ordinary indexes
//     while the values themselves stay encrypted.
//   - Each user's passphrase gives a key-encryption key through Argon2id;
//     the data key is stored only wrapped by those keys (one wrap per
//     user), and optionally wrapped to a recovery secret escrowed at the
//     district. It is never written in plain text.
//
// The package also builds the audit log's hash chain. It has no SQL: the
// store (data/sqlite) calls it.
package protect
